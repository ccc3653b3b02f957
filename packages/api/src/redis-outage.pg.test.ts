// Two real server instances on one database, fanning out through a Redis of the test's own,
// which the test kills and restarts mid-edit: what an outage costs and how it heals (Y10, S10).
import type { Pool } from '@clapper/db';
import { type LogLine, createRecordingLogger } from '@clapper/log';
import { type CollabProvider, scriptDocName } from '@clapper/collab/client';
import { type TestRedis, startTestRedis } from '@clapper/pubsub';
import { afterAll, beforeAll, expect, test } from 'vitest';
import * as Y from 'yjs';
import { type TestServer, startTestServer } from './test-server.ts';
import { type TestSocket, collabTestClient, openTestSocket } from './ws-test-client.ts';

let redis: TestRedis;
let one: TestServer;
let two: TestServer;
const logOfOne = createRecordingLogger('warn');
const logOfTwo = createRecordingLogger('warn');
let owner: string;
let editor: string;
let projectId: string;
const providers: CollabProvider[] = [];
const sockets: TestSocket[] = [];

function client(server: TestServer, docName: string, token: string): CollabProvider {
  const provider = collabTestClient(server.url, docName, token);
  providers.push(provider);
  return provider;
}

// Generous: Redis clients back off up to 2 s between reconnects, and the machine is shared.
async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function storedText(pool: Pool, docName: string): Promise<string> {
  const doc = new Y.Doc();
  const result = await pool.query<{ data: Buffer }>(
    `SELECT data FROM yjs_snapshots WHERE project_id = $1 AND doc_name = $2
     UNION ALL SELECT data FROM yjs_updates WHERE project_id = $1 AND doc_name = $2`,
    [projectId, docName],
  );
  for (const row of result.rows) Y.applyUpdate(doc, new Uint8Array(row.data));
  return doc.getText('t').toString();
}

/**
 * Waits until an instance has given up publishing on `channel` since line `from` of its log:
 * the message is dropped, not queued for when Redis returns (a short outage can hide in
 * the Redis client's queue, and then nothing was missed).
 */
async function publishDropped(lines: LogLine[], from: number, channel: string): Promise<void> {
  await waitFor(`a dropped publish on ${channel}`, () =>
    lines.slice(from).some((line) => line.msg === 'redis publish failed' && line.channel === channel),
  );
}

const text = (provider: CollabProvider) => provider.doc.getText('t').toString();

function type(provider: CollabProvider, words: string): void {
  const t = provider.doc.getText('t');
  t.insert(t.length, words);
}

beforeAll(async () => {
  redis = await startTestRedis();
  one = await startTestServer({ redisUrl: redis.url, logger: logOfOne.logger });
  two = await startTestServer({ redisUrl: redis.url, db: one.db, mailer: one.mailer, logger: logOfTwo.logger });
  owner = (await one.signIn('director@example.com')).token;
  editor = (await one.signIn('writer@example.com')).token;
  projectId = (await one.createProject(owner, 'Outage')).id;
  await one.addMember(owner, projectId, 'writer@example.com', 'editor');
});

afterAll(async () => {
  for (const provider of providers) provider.destroy();
  for (const socket of sockets) socket.close();
  await two?.close();
  await one?.close();
  await redis?.stop();
});

test('[Y10][S10] Redis killed mid-edit: once it is back, the observer on the other instance, a new client there and a /sync subscriber all catch up', async () => {
  const name = scriptDocName(projectId, 'outage');
  const nudges = await openTestSocket(await one.socketUrl('/sync', owner));
  sockets.push(nudges);
  nudges.send({ type: 'subscribe', projectId });
  await nudges.next((m) => m.type === 'subscribed');

  // A writer on instance two, an observer on instance one, fan-out working.
  const writer = client(two, name, editor);
  const observer = client(one, name, owner);
  await Promise.all([writer.whenSynced(), observer.whenSynced()]);
  type(writer, 'FADE IN:');
  await waitFor('the observer to see the first line', () => text(observer) === 'FADE IN:');

  await redis.kill();
  const outageStart = logOfTwo.lines.length;
  type(writer, '\nINT. HANGAR - NIGHT');
  await waitFor(
    'the outage edit to be stored',
    async () => (await storedText(one.db.pool, name)) === 'FADE IN:\nINT. HANGAR - NIGHT',
  );
  const pushed = await two.client(editor).sync.push.mutate({
    projectId,
    pushId: 'during-the-outage',
    lastPulledAt: null,
    changes: { scenes: { created: [{ id: 'scene-1', heading: 'INT. HANGAR - NIGHT' }], updated: [], deleted: [] } },
  });
  await publishDropped(logOfTwo.lines, outageStart, `clapper:yjs:${name}`);
  await publishDropped(logOfTwo.lines, outageStart, `clapper:project-changed:${projectId}`);
  // The outage really cut the path between the instances.
  expect(text(observer)).toBe('FADE IN:');
  expect(nudges.received.some((m) => m.type === 'changed')).toBe(false);

  await redis.start();
  // Without another keystroke: instance one reads what it missed once its subscriptions are back.
  await waitFor('the observer to catch up from PostgreSQL', () => text(observer) === text(writer));
  expect(text(observer)).toBe('FADE IN:\nINT. HANGAR - NIGHT');
  // The nudge the outage swallowed comes late, carrying (at least) the push's stamp.
  const nudge = await nudges.next(
    (m) => m.type === 'changed' && typeof m.timestamp === 'number' && m.timestamp >= pushed.timestamp,
    30_000,
  );
  expect(nudge).toMatchObject({ type: 'changed', projectId });

  // Live again: more typing reaches the observer, and a client joining on instance one sees it all.
  type(writer, '\nThe crew waits.');
  await waitFor('the observer to see typing after the outage', () => text(observer) === text(writer));
  const joiner = client(one, name, owner);
  await joiner.whenSynced();
  await waitFor('a new client on instance one to converge', () => text(joiner) === text(writer));
  expect(text(joiner)).toBe('FADE IN:\nINT. HANGAR - NIGHT\nThe crew waits.');
  expect(await storedText(one.db.pool, name)).toBe(text(writer));
});

test('[Y10] edits made on both sides of an outage merge on both instances', async () => {
  const name = scriptDocName(projectId, 'both-sides');
  const left = client(one, name, owner);
  const right = client(two, name, editor);
  await Promise.all([left.whenSynced(), right.whenSynced()]);
  type(left, 'L');
  await waitFor('fan-out before the outage', () => text(right) === 'L');

  await redis.kill();
  const outageStart = [logOfOne.lines.length, logOfTwo.lines.length] as const;
  for (let i = 0; i < 20; i += 1) {
    type(left, 'l');
    type(right, 'r');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await waitFor('both sides stored', async () => (await storedText(one.db.pool, name)).length === 41);
  await publishDropped(logOfOne.lines, outageStart[0], `clapper:yjs:${name}`);
  await publishDropped(logOfTwo.lines, outageStart[1], `clapper:yjs:${name}`);
  expect(text(left)).not.toBe(text(right));

  await redis.start();
  await waitFor('both instances to converge', () => text(left) === text(right) && text(left).length === 41);
  expect(await storedText(one.db.pool, name)).toBe(text(left));
});
