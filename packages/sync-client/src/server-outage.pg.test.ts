import { type TestServer, startTestServer } from '@clapper/api';
import { type TestDatabase, createTestDatabase } from '@clapper/db';
import { afterAll, expect, test } from 'vitest';
import {
  type Device,
  createDevice,
  createShot,
  localRecord,
  serverRecord,
  settled,
  waitFor,
} from './testing/devices.ts';

const cleanup: (() => Promise<void>)[] = [];

afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
});

test('[C7][C16][C17] server down: status shows the error and backs off; server back: pending changes sync and nudges resume', async () => {
  const db: TestDatabase = await createTestDatabase();
  cleanup.push(() => db.drop());
  let server: TestServer = await startTestServer({ db });
  cleanup.push(() => server.close());
  const owner = await server.signIn('director@example.com');
  const project = await server.createProject(owner.token, 'Outage');
  const ad = await server.signIn('ad@example.com');
  await server.addMember(owner.token, project.id, 'ad@example.com', 'editor');

  const devices: Device[] = [
    createDevice('director', { server, projectId: project.id, token: owner.token, backoff: { minMs: 40, maxMs: 320 } }),
    createDevice('ad', { server, projectId: project.id, token: ad.token, backoff: { minMs: 40, maxMs: 320 } }),
  ];
  cleanup.push(async () => {
    await Promise.all(devices.map((device) => device.engine.stop()));
  });
  const [director, assistant] = devices as [Device, Device];
  await Promise.all([settled(director), settled(assistant)]);
  const { port } = server.server;
  const mailer = server.mailer;

  await server.close();
  const shotId = await createShot(director, { label: 'written during the outage' });

  await waitFor(() => director.engine.getStatus().retryAttempt >= 1, 10_000, 'first failure');
  const firstFailureAt = Date.now();
  const down = await waitFor(
    () => {
      const status = director.engine.getStatus();
      return status.retryAttempt >= 4 ? status : null;
    },
    10_000,
    'several failed retries',
  );
  expect(down).toMatchObject({ online: false, pending: 2, syncing: false });
  expect(down.error?.code).toBe('NETWORK');
  expect(down.nextRetryAt).not.toBeNull();
  // Backoff, not a hot loop: from failure 1 to failure 4 the engine waited at least
  // 20 + 40 + 80 ms (the lower jitter bound of 40 · 2^(n-1)), less polling slack.
  expect(Date.now() - firstFailureAt).toBeGreaterThanOrEqual(120);
  expect(assistant.engine.getStatus().online).toBe(false);

  server = await startTestServer({ db, port, mailer });
  await settled(director);
  expect(director.engine.getStatus()).toMatchObject({
    online: true,
    pending: 0,
    error: null,
    retryAttempt: 0,
    nextRetryAt: null,
  });
  expect(await serverRecord(server, owner.token, project.id, 'shots', shotId)).toMatchObject({
    label: 'written during the outage',
  });
  // The assistant's socket re-subscribed on its own and the change reached it.
  const raw = await waitFor(() => localRecord(assistant, 'shots', shotId), 10_000, 'shot on the assistant');
  expect(raw).toMatchObject({ label: 'written during the outage' });
  await settled(assistant);

  // Nudges flow again on the new connection: a later edit arrives without any restart.
  const laterId = await createShot(assistant, { label: 'after the outage' });
  await waitFor(() => localRecord(director, 'shots', laterId), 10_000, 'later shot on the director');
});
