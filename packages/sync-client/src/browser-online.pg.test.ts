import { type TestServer, startTestServer } from '@clapper/api';
import { type TestDatabase, createTestDatabase } from '@clapper/db';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Device, createDevice, createShot, serverRecord, settled, waitFor } from './testing/devices.ts';

// The engine and socket listen for the browser's `online`/`offline` events on `window`.
// Node has no window: give this file (vitest isolates files) one backed by a real EventTarget.
const browserEvents = new EventTarget();
const navigatorState = { onLine: true };

beforeAll(() => {
  Object.assign(globalThis, {
    window: globalThis,
    addEventListener: browserEvents.addEventListener.bind(browserEvents),
    removeEventListener: browserEvents.removeEventListener.bind(browserEvents),
  });
  Object.defineProperty(globalThis, 'navigator', { value: navigatorState, configurable: true });
});

const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
});

test('[C4][C16] the browser going offline shows in the status; coming online syncs at once instead of waiting out the backoff', async () => {
  const db: TestDatabase = await createTestDatabase();
  cleanup.push(() => db.drop());
  let server: TestServer = await startTestServer({ db });
  cleanup.push(() => server.close());
  const owner = await server.signIn('laptop@example.com');
  const project = await server.createProject(owner.token, 'Train journey');
  // A backoff far longer than the test's wait: only the online event can explain a quick sync.
  const laptop: Device = createDevice('laptop', {
    server,
    projectId: project.id,
    token: owner.token,
    backoff: { minMs: 60_000, maxMs: 60_000 },
  });
  cleanup.push(() => laptop.engine.stop());
  await settled(laptop);

  const { port } = server.server;
  const mailer = server.mailer;
  navigatorState.onLine = false;
  browserEvents.dispatchEvent(new Event('offline'));
  expect(laptop.engine.getStatus().online).toBe(false);
  await server.close();

  const shotId = await createShot(laptop, { label: 'written in a tunnel' });
  const failed = await waitFor(
    () => {
      const status = laptop.engine.getStatus();
      return status.nextRetryAt !== null ? status : null;
    },
    10_000,
    'failed sync with a retry scheduled',
  );
  expect(failed.nextRetryAt! - Date.now()).toBeGreaterThan(20_000);

  server = await startTestServer({ db, port, mailer });
  navigatorState.onLine = true;
  browserEvents.dispatchEvent(new Event('online'));
  await settled(laptop, 10_000);
  expect(laptop.engine.getStatus()).toMatchObject({ online: true, pending: 0, error: null });
  expect(await serverRecord(server, owner.token, project.id, 'shots', shotId)).toMatchObject({
    label: 'written in a tunnel',
  });
});
