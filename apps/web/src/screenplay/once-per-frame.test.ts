// Frame scheduling of remote carets (once-per-frame.ts) with a real y-protocols awareness,
// frames ticking every 16 ms as a browser's do: a co-writer's caret message arriving just
// after the frame that showed their keystroke waits for the next keystroke's frame
// instead of making a frame of its own, and a caret moved with no typing still shows.
import type { ProviderAwareness } from '@lexical/yjs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { awarenessUpdatesOncePerFrame, oncePerFrame } from './once-per-frame.ts';

const frameMs = 16;
let frames = 0;
const global = globalThis as unknown as {
  requestAnimationFrame?: (callback: (now: number) => void) => number;
  cancelAnimationFrame?: (id: number) => void;
};

beforeAll(() => {
  // A frame clock: callbacks run together at the next 16 ms tick, one frame per tick.
  let queued: ((now: number) => void)[] = [];
  let tick: ReturnType<typeof setTimeout> | null = null;
  global.requestAnimationFrame = (callback) => {
    queued.push(callback);
    tick ??= setTimeout(() => {
      tick = null;
      const run = queued;
      queued = [];
      frames += 1;
      for (const c of run) c(performance.now());
    }, frameMs);
    return queued.length;
  };
  global.cancelAnimationFrame = () => undefined;
});

afterAll(() => {
  delete global.requestAnimationFrame;
  delete global.cancelAnimationFrame;
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('a caret message after its keystroke’s frame rides with the next keystroke’s frame; alone, it still shows within a few frames', async () => {
  const remote = new Awareness(new Y.Doc());
  const awareness = awarenessUpdatesOncePerFrame(remote as unknown as ProviderAwareness);
  const ran: { job: string; frame: number }[] = [];
  awareness.on('update', () => ran.push({ job: 'carets (awareness)', frame: frames }));
  const docSync = () => ran.push({ job: 'carets (doc change)', frame: frames });

  // Keystroke 1: the doc's change, its frame, then the caret message.
  oncePerFrame(docSync);
  await sleep(40);
  remote.setLocalStateField('cursor', 1);
  // Keystroke 2, 60 ms later: its change.
  await sleep(60);
  oncePerFrame(docSync);
  await sleep(40);
  const framesOf = (job: string) => ran.filter((r) => r.job === job).map((r) => r.frame);
  expect(framesOf('carets (doc change)')).toHaveLength(2);
  // The caret message ran once, in the second keystroke's frame: two keystrokes, two frames.
  expect(framesOf('carets (awareness)')).toEqual([framesOf('carets (doc change)')[1]]);

  // A caret moved with nobody typing: placed within 150 ms and a frame.
  ran.length = 0;
  const movedAt = performance.now();
  remote.setLocalStateField('cursor', 2);
  await sleep(250);
  expect(ran.map((r) => r.job)).toEqual(['carets (awareness)']);
  expect(performance.now() - movedAt).toBeGreaterThanOrEqual(150);
});

test('a frame with a remote change and the caret message places the carets once, not once for each', async () => {
  const remote = new Awareness(new Y.Doc());
  const awareness = awarenessUpdatesOncePerFrame(remote as unknown as ProviderAwareness);
  // The plugin's awareness listener re-places every remote caret (syncCursorPositions).
  const placed: number[] = [];
  awareness.on('update', () => placed.push(frames));
  // A remote keystroke: its change (Lexical asks for the carets after it), then its caret message.
  for (let key = 0; key < 3; key += 1) {
    expect(awareness.listenersOncePerFrame()).toBe(true);
    remote.setLocalStateField('cursor', key);
    await sleep(40);
  }
  // Three keystrokes, three placings, each in its own frame (it ran twice a frame before).
  expect(placed).toHaveLength(3);
  expect(new Set(placed).size).toBe(3);
});
