// How the server hands /yjs to @clapper/collab: real sign-in, projects and membership
// through tRPC, the app's own provider (`createCollabProvider`) as the client, and two
// instances on one database fanning out over Redis. These tests live in api, not collab,
// because they start the whole server, and api already depends on collab: a collab test
// importing api would make the package graph circular.
import type { Pool } from '@clapper/db';
import { CLOSE } from '@clapper/schema';
import { type CollabProvider, noteDocName, scriptDocName } from '@clapper/collab/client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as encoding from 'lib0/encoding';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { type TestServer, startTestServer } from './test-server.ts';
import { collabTestClient } from './ws-test-client.ts';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
let one: TestServer;
let two: TestServer;
let owner: string;
let editor: string;
let viewer: string;
let outsider: string;
let projectId: string;
const providers: CollabProvider[] = [];

function client(server: TestServer, docName: string, token: string): CollabProvider {
  const provider = collabTestClient(server.url, docName, token);
  providers.push(provider);
  return provider;
}

async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const synced = (provider: CollabProvider) => provider.whenSynced();

/** The HTTP status of a refused upgrade (or 101 when it was accepted). */
function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.on('open', () => {
      socket.close();
      resolve(101);
    });
    socket.on('unexpected-response', (_req, res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    socket.on('error', (error) => {
      if (!/Unexpected server response/.test(error.message)) reject(error);
    });
  });
}

/** The doc as PostgreSQL holds it: snapshot + every log row, in a fresh Y.Doc. */
async function storedDoc(pool: Pool, projectId: string, docName: string): Promise<Y.Doc> {
  const doc = new Y.Doc();
  const result = await pool.query<{ data: Buffer }>(
    `SELECT data FROM yjs_snapshots WHERE project_id = $1 AND doc_name = $2
     UNION ALL SELECT data FROM yjs_updates WHERE project_id = $1 AND doc_name = $2`,
    [projectId, docName],
  );
  for (const row of result.rows) Y.applyUpdate(doc, new Uint8Array(row.data));
  return doc;
}

beforeAll(async () => {
  one = await startTestServer({ redisUrl });
  two = await startTestServer({ redisUrl, db: one.db, mailer: one.mailer });
  owner = (await one.signIn('director@example.test')).token;
  editor = (await one.signIn('ad@example.test')).token;
  viewer = (await one.signIn('producer@example.test')).token;
  outsider = (await one.signIn('stranger@example.test')).token;
  projectId = (await one.createProject(owner, 'Night Shoot')).id;
  await one.addMember(owner, projectId, 'ad@example.test', 'editor');
  await one.addMember(owner, projectId, 'producer@example.test', 'viewer');
});

afterAll(async () => {
  for (const provider of providers) provider.destroy();
  await two?.close();
  await one?.close();
});

describe('the real server', () => {
  test('[Y2][A8] tickets: a non-member gets 403, no or a bad ticket 401, a session token in the URL 401, members connect', async () => {
    const path = `/yjs/${scriptDocName(projectId, 'main')}`;
    const base = `${one.wsUrl}${path}`;
    expect(await upgradeStatus(base)).toBe(401);
    const outsiders = await one.ticket(outsider);
    expect(await upgradeStatus(`${base}?ticket=${outsiders.slice(0, -2)}xx`)).toBe(401);
    expect(await upgradeStatus(`${base}?token=${owner}`)).toBe(401);
    expect(await upgradeStatus(`${base}?ticket=${outsiders}`)).toBe(403);
    for (const token of [owner, editor, viewer])
      expect(await upgradeStatus(await one.socketUrl(path, token))).toBe(101);
  });

  test('[Y4] a viewer added through projects.addMember cannot change the script', async () => {
    const name = scriptDocName(projectId, 'viewer');
    const e = client(one, name, editor);
    const v = client(one, name, viewer);
    await Promise.all([synced(e), synced(v)]);
    e.doc.getText('t').insert(0, 'INT. VAN - DAY');
    await waitFor('the viewer to read', () => v.doc.getText('t').toString() === 'INT. VAN - DAY');
    v.doc.getText('t').delete(0, 4);
    e.doc.getText('t').insert(0, '1 ');
    await waitFor('the editor edit to come back to the viewer', () => v.doc.getText('t').toString().startsWith('1 '));
    expect(e.doc.getText('t').toString()).toBe('1 INT. VAN - DAY');
    expect((await storedDoc(one.db.pool, projectId, name)).getText('t').toString()).toBe('1 INT. VAN - DAY');
  });
});

test('[E6] /metrics carries the collab figures: docs loaded, rows and bytes written', async () => {
  const figure = async (name: string) => {
    const text = await (await fetch(`${one.url}/metrics`)).text();
    return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  };
  const rowsBefore = await figure('clapper_yjs_rows_written_total');
  const name = scriptDocName(projectId, 'metrics');
  const writer = client(one, name, editor);
  await synced(writer);
  writer.doc.getText('t').insert(0, 'EXT. PIER - NIGHT');
  await waitFor('the edit to be stored', async () => (await figure('clapper_yjs_rows_written_total')) > rowsBefore);
  expect(await figure('clapper_yjs_docs_loaded')).toBeGreaterThanOrEqual(1);
  expect(await figure('clapper_yjs_bytes_written_total')).toBeGreaterThan(0);
});

describe('role changes', () => {
  test('[Y4][R7] an editor made viewer on one instance is read-only from then on, even on a socket opened before, on the other instance', async () => {
    const projectForDowngrade = (await one.createProject(owner, 'Reshoot')).id;
    await one.addMember(owner, projectForDowngrade, 'ad@example.test', 'editor');
    const name = scriptDocName(projectForDowngrade, 'main');
    const boss = client(one, name, owner);
    const ad = client(two, name, editor);
    await Promise.all([synced(boss), synced(ad)]);
    ad.doc.getText('t').insert(0, 'before ');
    await waitFor('the editor edit to reach the owner', () => boss.doc.getText('t').toString() === 'before ');

    const closes: number[] = [];
    ad.websocket.on('connection-close', (event: { code: number } | null) => event && closes.push(event.code));
    await one.addMember(owner, projectForDowngrade, 'ad@example.test', 'viewer');
    await waitFor('the old socket to close for a reconnect', () => closes.includes(CLOSE.ROLE_CHANGED));
    await waitFor('the provider to be back', () => ad.websocket.wsconnected && ad.websocket.synced);

    ad.doc.getText('t').insert(0, 'after ');
    boss.doc.getText('t').insert(boss.doc.getText('t').length, 'ping');
    await waitFor('the owner edit to reach the new viewer', () => ad.doc.getText('t').toString().endsWith('ping'));
    expect(boss.doc.getText('t').toString()).toBe('before ping');
    expect((await storedDoc(one.db.pool, projectForDowngrade, name)).getText('t').toString()).toBe('before ping');
  });
});

describe('bad input on the real server', () => {
  test('[Y9] garbage on one /yjs connection closes only it; the server stays healthy and other docs go on', async () => {
    const name = scriptDocName(projectId, 'garbage');
    const a = client(one, name, editor);
    await synced(a);
    const raw = new WebSocket(await one.socketUrl(`/yjs/${name}`, editor));
    await new Promise((resolve, reject) => {
      raw.once('open', resolve);
      raw.once('error', reject);
    });
    const closed = new Promise<number>((resolve) => raw.once('close', (code) => resolve(code)));
    raw.send(new Uint8Array([0, 1, 200, 1, 7]));
    expect(await closed).toBe(CLOSE.INVALID_PAYLOAD);
    const health = await fetch(`${one.url}/health`);
    expect(health.status).toBe(200);
    a.doc.getText('t').insert(0, 'fine');
    const b = client(one, name, owner);
    await waitFor('the doc to keep relaying', () => b.doc.getText('t').toString() === 'fine');
  });
});

describe('two instances', () => {
  test('[Y10] clients on different instances edit one doc and converge through Redis; cursors cross too', async () => {
    const name = noteDocName(projectId, 'scenes', 'scene-4');
    const a = client(one, name, owner);
    const b = client(two, name, editor);
    await Promise.all([synced(a), synced(b)]);
    for (let i = 0; i < 200; i += 1) {
      a.doc.getText('t').insert(0, 'a');
      b.doc.getText('t').insert(b.doc.getText('t').length, 'b');
      if (i % 10 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await waitFor('both to converge', () => {
      const text = a.doc.getText('t').toString();
      return text.length === 400 && text === b.doc.getText('t').toString();
    });
    expect((await storedDoc(one.db.pool, projectId, name)).getText('t').toString()).toBe(a.doc.getText('t').toString());

    a.awareness.setLocalStateField('user', { name: 'Director', color: '#f50' });
    // The account's name (director@…), not the one the client claimed (Y15).
    await waitFor('b to see a cursor from the other instance', () =>
      [...b.awareness.getStates().values()].some((s) => (s.user as { name?: string } | undefined)?.name === 'director'),
    );
  });

  test('[Y10] a doc already loaded on one instance picks up edits stored by the other', async () => {
    const name = scriptDocName(projectId, 'cross');
    const a = client(one, name, owner);
    await synced(a);
    a.doc.getText('t').insert(0, 'first');
    await waitFor(
      'the first edit to be stored',
      async () => (await storedDoc(one.db.pool, projectId, name)).getText('t').toString() === 'first',
    );
    const b = client(two, name, editor);
    await synced(b);
    expect(b.doc.getText('t').toString()).toBe('first');
    b.doc.getText('t').insert(5, ' and second');
    await waitFor('a to see the other instance edit', () => a.doc.getText('t').toString() === 'first and second');
  });
});

/** A raw /yjs connection that sends hand-made awareness entries and notes the largest frame it receives. */
async function rawAwareness(server: TestServer, name: string, token: string) {
  const ws = new WebSocket(await server.socketUrl(`/yjs/${name}`, token));
  let largestFrame = 0;
  ws.on('message', (data: Buffer) => {
    largestFrame = Math.max(largestFrame, data.length);
  });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return {
    ws,
    largestFrame: () => largestFrame,
    /** One awareness message carrying `[clientID, clock, state]` entries. */
    send(entries: Array<[number, number, unknown]>) {
      const update = encoding.createEncoder();
      encoding.writeVarUint(update, entries.length);
      for (const [clientID, clock, state] of entries) {
        encoding.writeVarUint(update, clientID);
        encoding.writeVarUint(update, clock);
        encoding.writeVarString(update, JSON.stringify(state));
      }
      const message = encoding.createEncoder();
      encoding.writeVarUint(message, 1);
      encoding.writeVarUint8Array(message, encoding.toUint8Array(update));
      ws.send(encoding.toUint8Array(message));
    },
  };
}

describe('owned presence', () => {
  test("[Y15] a viewer cannot publish presence under the owner's client id, here or through the other instance", async () => {
    const name = scriptDocName(projectId, 'presence-spoof');
    const ownerClient = client(one, name, owner);
    const observer = client(two, name, editor);
    await Promise.all([synced(ownerClient), synced(observer)]);
    ownerClient.awareness.setLocalStateField('user', { name: 'Director', color: '#f50' });
    const ownerId = ownerClient.doc.clientID;
    const stateOf = (id: number) => observer.awareness.getStates().get(id) as Record<string, unknown> | undefined;
    await waitFor('the observer to see the owner', () => stateOf(ownerId) !== undefined);

    for (const server of [one, two]) {
      const spoofer = await rawAwareness(server, name, viewer);
      // First the spoof (the owner's id, a clock far ahead, a claimed name), then the viewer's own
      // id: once that arrives, the spoof was processed before it.
      spoofer.send([[ownerId, 1_000, { user: { name: 'director', color: '#000' }, spoofed: true }]]);
      spoofer.send([
        [424242 + (server === one ? 1 : 2), 1, { user: { name: 'Olivia Owner', color: '#0af' }, marker: 'viewer' }],
      ]);
      const viewerId = 424242 + (server === one ? 1 : 2);
      await waitFor("the viewer's own presence to arrive", () => stateOf(viewerId) !== undefined);
      expect(stateOf(ownerId)).toMatchObject({ user: { name: 'director', color: '#f50' } });
      expect(stateOf(ownerId)?.spoofed).toBeUndefined();
      // Its own presence shows under its account's name, not the one it claimed.
      expect(stateOf(viewerId)).toMatchObject({
        marker: 'viewer',
        name: 'producer',
        user: { name: 'producer', color: '#0af' },
      });
      // One id per connection: a second, fresh id is not taken either.
      spoofer.send([
        [515151, 1, { marker: 'second id' }],
        [viewerId, 2, { marker: 'viewer again' }],
      ]);
      await waitFor("the viewer's update to arrive", () => stateOf(viewerId)?.marker === 'viewer again');
      expect(stateOf(515151)).toBeUndefined();
      spoofer.ws.close();
      await waitFor('the viewer to leave', () => stateOf(viewerId) === undefined);
    }
    // The owner's presence survived both attempts.
    expect(stateOf(ownerId)).toMatchObject({ user: { name: 'director', color: '#f50' } });
  });

  // 1 MB: over Y15's 8 KiB state limit, under Y14's 2 MiB message limit (a 10 MB message
  // never gets this far: the socket refuses it, 1009).
  test('[Y15] a 1 MB presence state is dropped, not relayed to anyone', async () => {
    const name = scriptDocName(projectId, 'presence-huge');
    const watcher = await rawAwareness(one, name, editor);
    const remoteWatcher = await rawAwareness(two, name, owner);
    const observer = client(one, name, owner);
    await synced(observer);
    const sender = await rawAwareness(one, name, viewer);
    sender.send([[777001, 1, { user: { name: 'v', color: '#111' }, blob: 'x'.repeat(1024 * 1024) }]]);
    sender.send([[777001, 2, { user: { name: 'v', color: '#111' }, marker: 'small' }]]);
    await waitFor(
      'the small state to arrive',
      () => (observer.awareness.getStates().get(777001) as { marker?: string } | undefined)?.marker === 'small',
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(watcher.largestFrame()).toBeLessThan(64 * 1024);
    expect(remoteWatcher.largestFrame()).toBeLessThan(64 * 1024);
    // The sender's socket stays usable.
    expect(sender.ws.readyState).toBe(WebSocket.OPEN);
    for (const socket of [watcher, remoteWatcher, sender]) socket.ws.close();
  });

  test('[Y15][A7] a display name set through auth.setName is what others see on the next connection', async () => {
    const name = scriptDocName(projectId, 'presence-rename');
    const observer = client(one, name, owner);
    await synced(observer);
    const renamed = await two.client(editor).auth.setName.mutate({ name: '  Ana (1st AD) ' });
    expect(renamed.name).toBe('Ana (1st AD)');
    expect((await one.client(editor).auth.me.query()).name).toBe('Ana (1st AD)');
    const ad = client(two, name, editor);
    await synced(ad);
    ad.awareness.setLocalStateField('user', { name: 'ad', color: '#3e3' });
    await waitFor(
      'the observer to see the new name',
      () =>
        (observer.awareness.getStates().get(ad.doc.clientID) as { name?: string } | undefined)?.name === 'Ana (1st AD)',
    );
    const bad = await two
      .client(editor)
      .auth.setName.mutate({ name: 'a\u202eb' })
      .catch((error: Error) => error);
    expect(bad).toBeInstanceOf(Error);
    expect((bad as Error).message).toMatch(/name: must not contain control/);
  });
});
