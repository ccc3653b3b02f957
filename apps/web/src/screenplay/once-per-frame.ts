// Remote carets (Lexical's syncCursorPositions) and the presence list follow awareness,
// which changes on every keystroke of every person in the doc, and a remote keystroke
// also re-places every caret. Placing a caret reads the layout (getBoundingClientRect),
// which in a 120-page script forces a full layout in the middle of the task, and then
// the frame lays out again. Run once per animation frame instead, with the latest
// arguments: the frame's one layout serves both. A page whose frames are throttled (a
// window behind another) still gets them within `fallbackMs`.
//
// A co-writer's keystroke arrives as two messages, the doc's change and then their
// caret's (awareness). Each made a frame of its own when a frame fell between them, and
// at 120 pages every frame that changes anything costs Chromium a walk of every block
// (the content-visibility observer): two such frames per remote keystroke. Awareness
// alone therefore waits up to `awarenessWaitMs` for a frame that has work anyway (the
// next keystroke's), and places the caret from the latest awareness then.
//
// Both messages re-place every remote caret (Lexical's syncCursorPositions: after a remote
// change, and in the plugin's awareness listener), and in the frame that had both it ran
// twice. The second ran on a layout the first had already brought up to date, so it forced
// no layout of its own: what it cost was its script (measuring and restyling the carets
// again). A remote change therefore runs the awareness listeners instead
// (`listenersOncePerFrame`): the same job as the caret message's, so a frame with both
// places the carets once.
import type { ProviderAwareness } from '@lexical/yjs';

const fallbackMs = 100;
const awarenessWaitMs = 150;

type Job = (...args: never[]) => void;

const pending = new Map<Job, unknown[]>();
/** Jobs waiting for a frame with other work (or for `awarenessWaitMs`). */
const waiting = new Map<Job, unknown[]>();
let frame: number | null = null;
let timer: ReturnType<typeof setTimeout> | null = null;
let waitTimer: ReturnType<typeof setTimeout> | null = null;

function flush(): void {
  if (frame !== null) cancelAnimationFrame(frame);
  if (timer !== null) clearTimeout(timer);
  if (waitTimer !== null) clearTimeout(waitTimer);
  frame = null;
  timer = null;
  waitTimer = null;
  const jobs = [...waiting, ...pending];
  waiting.clear();
  pending.clear();
  // A job asked for both ways runs once, with the latest arguments (pending ones are newer).
  const latest = new Map<Job, unknown[]>(jobs);
  for (const [job, args] of latest) (job as unknown as (...a: unknown[]) => void)(...args);
}

/** Runs `job` at the next animation frame, once however often it is asked for (the last arguments win). */
export function oncePerFrame<A extends unknown[]>(job: (...args: A) => void, ...args: A): void {
  if (typeof requestAnimationFrame === 'undefined') {
    job(...args);
    return;
  }
  waiting.delete(job as unknown as Job);
  pending.set(job as unknown as Job, args);
  frame ??= requestAnimationFrame(flush);
  timer ??= setTimeout(flush, fallbackMs);
}

/**
 * Runs `job` with the next frame that has other work, or at the frame after `awarenessWaitMs`
 * if none comes first; once however often it is asked for (the last arguments win).
 */
export function withNextFrame<A extends unknown[]>(job: (...args: A) => void, ...args: A): void {
  if (typeof requestAnimationFrame === 'undefined') {
    job(...args);
    return;
  }
  if (pending.has(job as unknown as Job) || frame !== null) {
    // A frame is coming anyway: ride along.
    pending.set(job as unknown as Job, args);
    return;
  }
  waiting.set(job as unknown as Job, args);
  waitTimer ??= setTimeout(() => {
    waitTimer = null;
    const jobs = [...waiting];
    waiting.clear();
    for (const [job, args] of jobs) oncePerFrame(job as unknown as (...a: unknown[]) => void, ...args);
  }, awarenessWaitMs);
}

/** What awarenessUpdatesOncePerFrame returns: the awareness, and its listeners' run on demand. */
export interface OncePerFrameAwareness extends ProviderAwareness {
  /**
   * Runs every 'update' listener at the next frame, as an awareness change would (the same
   * job: a caret message in that frame too runs them once); false if none listens.
   */
  listenersOncePerFrame(): boolean;
}

/** `awareness` whose 'update' listeners run with the next frame that has work (at most `awarenessWaitMs` late). */
export function awarenessUpdatesOncePerFrame(awareness: ProviderAwareness): OncePerFrameAwareness {
  const proxies = new Map<() => void, () => void>();
  return {
    listenersOncePerFrame() {
      for (const listener of proxies.keys()) oncePerFrame(listener);
      return proxies.size > 0;
    },
    getLocalState: () => awareness.getLocalState(),
    getStates: () => awareness.getStates(),
    setLocalState: (state) => awareness.setLocalState(state),
    setLocalStateField: (field, value) => awareness.setLocalStateField(field, value),
    on(type, listener) {
      const proxy = () => withNextFrame(listener);
      proxies.set(listener, proxy);
      awareness.on(type, proxy);
    },
    off(type, listener) {
      const proxy = proxies.get(listener);
      if (proxy === undefined) return;
      proxies.delete(listener);
      awareness.off(type, proxy);
      pending.delete(listener);
      waiting.delete(listener);
    },
  };
}
