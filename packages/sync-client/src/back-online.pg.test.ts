import { type TestServer, startTestServer } from '@clapper/api';
import { type TestDatabase, createTestDatabase } from '@clapper/db';
import { afterAll, expect, test } from 'vitest';
import WebSocket from 'ws';
import { createDevice, createShot, localRecord, settled, updateShot, waitFor } from './testing/devices.ts';

// Two devices go offline together, each writes, both come back: the next change either
// makes must still reach the other by its nudge (a browser test once saw it missed; this
// drives the engine the way Chromium's offline emulation does, and has not reproduced it).
// Node has no window: this file gets one backed by a real EventTarget (vitest isolates files).
const browserEvents = new EventTarget();
const navigatorState = { onLine: true };
Object.assign(globalThis, {
  window: globalThis,
  addEventListener: browserEvents.addEventListener.bind(browserEvents),
  removeEventListener: browserEvents.removeEventListener.bind(browserEvents),
});
Object.defineProperty(globalThis, 'navigator', { value: navigatorState, configurable: true });

const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
});

test('[C3][C4] devices back online together: the next change either makes reaches the other by its nudge, round after round', async () => {
  const db: TestDatabase = await createTestDatabase();
  cleanup.push(() => db.drop());
  const server: TestServer = await startTestServer({ db });
  cleanup.push(() => server.close());
  const owner = await server.signIn('a@example.com');
  const editor = await server.signIn('b@example.com');
  const project = await server.createProject(owner.token, 'Probe');
  await server.addMember(owner.token, project.id, 'b@example.com', 'editor');
  let offline = false;
  const hook = (url: string, init: RequestInit | undefined, real: typeof fetch) =>
    offline ? Promise.reject(new TypeError('fetch failed')) : real(url, init);
  // As Chromium's offline emulation does: the socket stays open, its messages wait until back online.
  const held: (() => void)[] = [];
  class HeldSocket extends WebSocket {
    override addEventListener(type: string, listener: (event: unknown) => void): void {
      if (type !== 'message') return void super.addEventListener(type as 'open', listener as () => void);
      super.addEventListener('message', (event) => {
        if (offline) held.push(() => listener(event));
        else listener(event);
      });
    }
  }
  const goOnline = () => {
    offline = false;
    navigatorState.onLine = true;
    browserEvents.dispatchEvent(new Event('online'));
    for (const deliver of held.splice(0)) deliver();
  };
  const webSocket = HeldSocket as unknown as typeof WebSocket;
  const a = createDevice('a', { server, projectId: project.id, token: owner.token, hook, webSocket });
  const b = createDevice('b', { server, projectId: project.id, token: editor.token, hook, webSocket });
  cleanup.push(
    () => a.engine.stop(),
    () => b.engine.stop(),
  );
  await settled(a);
  await settled(b);
  const shared = await createShot(a, { label: 'shared' });
  await waitFor(async () => (await localRecord(b, 'shots', shared))?.label === 'shared', 10_000, 'b has shared');
  for (let round = 0; round < 15; round += 1) {
    offline = true;
    navigatorState.onLine = false;
    browserEvents.dispatchEvent(new Event('offline'));
    await createShot(a, { label: `a${round}` });
    await createShot(b, { label: `b${round}` });
    await new Promise((r) => setTimeout(r, 150));
    goOnline();
    await settled(a, 20_000);
    await settled(b, 20_000);
    await updateShot(a, shared, { label: `round ${round}` });
    // No local write on b since it settled: only a nudge can bring the change.
    const pullsBefore = b.traffic.pulls;
    await waitFor(
      async () => (await localRecord(b, 'shots', shared))?.label === `round ${round}`,
      10_000,
      `b to see round ${round}`,
    );
    expect(b.traffic.pulls - pullsBefore).toBeLessThanOrEqual(1);
  }
}, 180_000);

test('[C19] nudges that arrive together are applied one after another until the device is level with the last', async () => {
  const db: TestDatabase = await createTestDatabase();
  cleanup.push(() => db.drop());
  const server: TestServer = await startTestServer({ db });
  cleanup.push(() => server.close());
  const owner = await server.signIn('c@example.com');
  const project = await server.createProject(owner.token, 'Burst');
  // B's socket holds its messages while `holding`, then hands them over in one burst (a
  // browser back from offline, or a busy tab): the first starts a sync, the rest wait for it.
  let holding = false;
  const held: (() => void)[] = [];
  class BurstSocket extends WebSocket {
    override addEventListener(type: string, listener: (event: unknown) => void): void {
      if (type !== 'message') return void super.addEventListener(type as 'open', listener as () => void);
      super.addEventListener('message', (event) => {
        if (holding) held.push(() => listener(event));
        else listener(event);
      });
    }
  }
  const a = createDevice('a', { server, projectId: project.id, token: owner.token });
  const b = createDevice('b', {
    server,
    projectId: project.id,
    token: owner.token,
    webSocket: BurstSocket as unknown as typeof WebSocket,
  });
  cleanup.push(
    () => a.engine.stop(),
    () => b.engine.stop(),
  );
  await settled(a);
  await settled(b);
  const shot = await createShot(a, { label: 'take 0' });
  await waitFor(async () => (await localRecord(b, 'shots', shot))?.label === 'take 0', 10_000, 'b has the shot');
  await settled(b);

  holding = true;
  for (const take of [1, 2, 3, 4]) {
    await updateShot(a, shot, { label: `take ${take}` });
    await settled(a);
  }
  await waitFor(() => held.length >= 4, 10_000, 'four nudges held');
  holding = false;
  for (const deliver of held.splice(0)) deliver();
  await waitFor(async () => (await localRecord(b, 'shots', shot))?.label === 'take 4', 10_000, 'b at take 4');
});
