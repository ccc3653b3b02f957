import { afterAll, beforeAll, expect, test } from 'vitest';
import { createRecordingLogger } from '@clapper/log';
import { createRedisPubSub } from '@clapper/pubsub';
import { nudgeChangesLimits } from '@clapper/schema';
import { createProjectEvents } from './project-events.ts';
import { type TestServer, startTestServer } from './test-server.ts';
import { openTestSocket } from './ws-test-client.ts';

// The real Redis of the machine; every channel name carries a random project id, so
// concurrent test runs don't hear each other.
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

let first: TestServer;
let second: TestServer;
let token: string;
let projectId: string;

beforeAll(async () => {
  first = await startTestServer({ redisUrl });
  second = await startTestServer({ redisUrl, db: first.db, mailer: first.mailer });
  token = (await first.signIn('director@example.com')).token;
  projectId = (await first.createProject(token, 'Two instances')).id;
});
afterAll(async () => {
  await second?.close();
  await first?.close();
});

test('[S5] a push on instance 1 nudges a socket subscribed on instance 2, and vice versa', async () => {
  const onSecond = await openTestSocket(await second.socketUrl('/sync', token));
  const onFirst = await openTestSocket(await first.socketUrl('/sync', token));
  try {
    onSecond.send({ type: 'subscribe', projectId });
    onFirst.send({ type: 'subscribe', projectId });
    await onSecond.next((m) => m.type === 'subscribed');
    await onFirst.next((m) => m.type === 'subscribed');

    const viaFirst = await first.client(token).sync.push.mutate({
      projectId,
      pushId: 'fan-out-1',
      lastPulledAt: null,
      changes: { scenes: { created: [{ id: 'scene-1', heading: 'INT. ONE' }], updated: [], deleted: [] } },
    });
    // The changes ride Redis too: the other instance's socket gets what its own got.
    const firstOnSecond = await onSecond.next((m) => m.type === 'changed');
    const firstOnFirst = await onFirst.next((m) => m.type === 'changed');
    expect(firstOnFirst).toMatchObject({ type: 'changed', projectId, timestamp: viaFirst.timestamp });
    expect(firstOnSecond).toEqual(firstOnFirst);
    expect(JSON.stringify(firstOnSecond)).toContain('INT. ONE');

    const viaSecond = await second.client(token).sync.push.mutate({
      projectId,
      pushId: 'fan-out-2',
      lastPulledAt: viaFirst.timestamp,
      changes: { scenes: { created: [{ id: 'scene-2', heading: 'INT. TWO' }], updated: [], deleted: [] } },
    });
    const secondOnFirst = await onFirst.next((m) => m.type === 'changed');
    const secondOnSecond = await onSecond.next((m) => m.type === 'changed');
    expect(secondOnSecond).toMatchObject({
      type: 'changed',
      projectId,
      timestamp: viaSecond.timestamp,
      since: viaFirst.timestamp,
    });
    expect(secondOnFirst).toEqual(secondOnSecond);
    // What a pull from `since` answers, on either instance.
    const sinceFirst = await first.client(token).sync.pull.query({ projectId, lastPulledAt: viaFirst.timestamp });
    expect(secondOnFirst.changes).toEqual(sinceFirst.changes);

    // Each socket heard each push exactly once (no echo of an instance's own publish).
    const changed = (socket: typeof onFirst) =>
      socket.received.filter((m) => m.type === 'changed').map((m) => m.timestamp);
    expect(changed(onFirst)).toEqual([viaFirst.timestamp, viaSecond.timestamp]);
    expect(changed(onSecond)).toEqual([viaFirst.timestamp, viaSecond.timestamp]);

    // What the nudge promises is there: instance 2 pulls the scene pushed through instance 1.
    const pulled = await second.client(token).sync.pull.query({ projectId, lastPulledAt: null });
    expect((pulled.changes.scenes?.created ?? []).map((r) => r.id).sort()).toEqual(['scene-1', 'scene-2']);
  } finally {
    onFirst.close();
    onSecond.close();
  }
});

test('[S5][S11] what rides Redis is capped: a commit over nudgeChangesLimits reaches the other instance as a bare nudge', async () => {
  const onSecond = await openTestSocket(await second.socketUrl('/sync', token));
  try {
    onSecond.send({ type: 'subscribe', projectId });
    await onSecond.next((m) => m.type === 'subscribed');
    const large = await first.client(token).sync.push.mutate({
      projectId,
      pushId: 'fan-out-large',
      lastPulledAt: null,
      changes: {
        scenes: {
          created: [{ id: 'scene-long', heading: 'INT. LONG', synopsis: 'x'.repeat(nudgeChangesLimits.maxBytes) }],
          updated: [],
          deleted: [],
        },
      },
    });
    expect(await onSecond.next((m) => m.type === 'changed')).toEqual({
      type: 'changed',
      projectId,
      timestamp: large.timestamp,
    });
  } finally {
    onSecond.close();
  }
});

test('[S5] without Redis, events stay local and a dead Redis does not block local subscribers', async () => {
  const logger = createRecordingLogger('silent').logger;
  const local = createProjectEvents({ logger });
  const heard: number[] = [];
  const stop = await local.subscribe('p1', ({ timestamp }) => heard.push(timestamp));
  local.publish('p1', 5);
  local.publish('p2', 6);
  stop();
  local.publish('p1', 7);
  expect(heard).toEqual([5]);
  await local.close();

  // Nothing listens on port 1: subscribe gives up waiting for Redis after a bound, local delivery still works.
  const deadRedis = createRedisPubSub({ redisUrl: 'redis://127.0.0.1:1', logger });
  const unreachable = createProjectEvents({ pubsub: deadRedis, logger });
  const got: number[] = [];
  await unreachable.subscribe('p1', ({ timestamp }) => got.push(timestamp));
  unreachable.publish('p1', 9);
  expect(got).toEqual([9]);
  await unreachable.close();
  await deadRedis.close();
});
