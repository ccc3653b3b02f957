import { type Pool, type PoolClient, type TestDatabase, createPool, createTestDatabase } from '@clapper/db';
import { createRecordingLogger } from '@clapper/log';
import { createRedisPubSub } from '@clapper/pubsub';
import { CLOSE } from '@clapper/schema';
import type { Provider } from '@lexical/yjs';
import { $createTextNode, $getRoot } from 'lexical';
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { WebSocket } from 'ws';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import {
  type CollabHttpServer,
  type SeededProject,
  connectClient,
  issueTicket,
  seedProject,
  startCollabHttpServer,
  storedDoc,
  synced,
  upgradeStatus,
  waitFor,
} from './collab-test-harness.ts';
import { noteDocName, scriptDocName } from './doc-name.ts';
import { collabServerUrl, createCollabProvider } from './collab-provider.ts';
import { createDocFanout } from './doc-fanout.ts';
import { DocStore } from './doc-store.ts';
import { bindHeadlessEditor } from './lexical-yjs-editor.test-support.ts';
import { readScript } from './read-script.ts';
import { ActionNode, SceneHeadingNode } from './screenplay-nodes.test-support.ts';

let db: TestDatabase;
let server: CollabHttpServer;
let project: SeededProject;
const providers: WebsocketProvider[] = [];

function client(docName: string, token: string | null, doc?: Y.Doc): WebsocketProvider {
  const provider = connectClient(server.url, docName, token, doc);
  providers.push(provider);
  return provider;
}

function closeClients(...list: WebsocketProvider[]): void {
  for (const provider of list) provider.destroy();
}

async function logRows(docName: string): Promise<number> {
  const result = await db.pool.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM yjs_updates WHERE project_id = $1 AND doc_name = $2',
    [project.projectId, docName],
  );
  return result.rows[0]?.n ?? 0;
}

beforeAll(async () => {
  db = await createTestDatabase();
  project = await seedProject(db.pool);
  server = await startCollabHttpServer(db.pool);
});

afterAll(async () => {
  for (const provider of providers) provider.destroy();
  await server?.close();
  await db?.drop();
});

describe('access at the upgrade', () => {
  test('[Y2] no ticket is refused with 401, an unknown or spent ticket with 401, a non-member with 403', async () => {
    const base = `${server.url.replace('http', 'ws')}/yjs/${scriptDocName(project.projectId, 'main')}`;
    expect((await upgradeStatus(base)).status).toBe(401);
    expect((await upgradeStatus(`${base}?ticket=not-a-ticket`)).status).toBe(401);
    // A session token in the URL is not a ticket.
    expect((await upgradeStatus(`${base}?token=${project.tokens.editor}`)).status).toBe(401);
    const outsider = await upgradeStatus(`${base}?ticket=${issueTicket(project.tokens.outsider)}`);
    expect(outsider.status).toBe(403);
    expect(outsider.body).toContain(project.projectId);
    const ticket = issueTicket(project.tokens.editor);
    expect((await upgradeStatus(`${base}?ticket=${ticket}`)).status).toBe(101);
    expect((await upgradeStatus(`${base}?ticket=${ticket}`)).status).toBe(401); // single use
  });

  test('[Y1] a doc name that is not a script or a note on a synced table is refused with 400', async () => {
    const token = project.tokens.editor;
    const ws = server.url.replace('http', 'ws');
    for (const name of [
      `project/${project.projectId}/diary/x`,
      `project/${project.projectId}/note/not_a_table/x`,
      `project/${project.projectId}/script/bad%20id`,
      `project/${project.projectId}/script/a/b`,
      'something-else',
    ]) {
      const result = await upgradeStatus(`${ws}/yjs/${name}?ticket=${issueTicket(token)}`);
      expect(result.status, name).toBe(400);
      expect(result.body.length, name).toBeGreaterThan(10);
    }
    const note = noteDocName(project.projectId, 'shots', 'shot-1');
    expect((await upgradeStatus(`${ws}/yjs/${note}?ticket=${issueTicket(token)}`)).status).toBe(101);
  });
});

describe('editing together', () => {
  test('[Y12] two clients make 1,000 random concurrent inserts and deletes each and converge', async () => {
    const name = scriptDocName(project.projectId, 'converge');
    const a = client(name, project.tokens.owner);
    const b = client(name, project.tokens.editor);
    await Promise.all([synced(a), synced(b)]);
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const edit = (provider: WebsocketProvider, i: number) => {
      const text = provider.doc.getText('t');
      if (text.length > 20 && random() < 0.35) {
        const at = Math.floor(random() * (text.length - 1));
        text.delete(at, 1 + Math.floor(random() * Math.min(5, text.length - at - 1)));
      } else {
        text.insert(
          Math.floor(random() * (text.length + 1)),
          `${i % 10}${String.fromCharCode(97 + Math.floor(random() * 26))}`,
        );
      }
    };
    for (let i = 0; i < 1000; i += 1) {
      edit(a, i);
      edit(b, i);
      // Let the sockets interleave: edits cross in flight instead of arriving as one block.
      if (i % 7 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    const same = () => a.doc.getText('t').toString() === b.doc.getText('t').toString();
    await waitFor('both clients to converge', same, 20_000);
    expect(a.doc.getText('t').length).toBeGreaterThan(100);
    // The stored doc converged too: everything either client saw is in PostgreSQL.
    await waitFor('PostgreSQL to hold the converged text', async () => {
      const stored = await storedDoc(db.pool, project.projectId, name);
      return stored.getText('t').toString() === a.doc.getText('t').toString();
    });
    // Group commit: far fewer rows than the 2,000 edits.
    expect(await logRows(name)).toBeLessThan(2000);
    closeClients(a, b);
  });

  test("[Y3] cursors: a newcomer gets everyone's presence at once, and a client that leaves disappears for the others", async () => {
    const name = scriptDocName(project.projectId, 'presence');
    const a = client(name, project.tokens.owner);
    await synced(a);
    a.awareness.setLocalStateField('user', { name: 'Olivia', color: '#e33' });
    const b = client(name, project.tokens.editor);
    await synced(b);
    const names = (provider: WebsocketProvider) =>
      [...provider.awareness.getStates().values()].map((state) => (state.user as { name?: string } | undefined)?.name);
    // Others see the account's name, whatever the client claimed (Y15).
    await waitFor('b to see a without a change from a', () => names(b).includes('Olivia Owner'));
    b.awareness.setLocalStateField('user', { name: 'Eddie', color: '#3e3' });
    await waitFor('a to see b', () => names(a).includes('Eddie Editor'));
    closeClients(b);

    // A device that vanishes without saying goodbye (socket cut): the server removes its cursor.
    const raw = new WebSocket(
      `${server.url.replace('http', 'ws')}/yjs/${name}?ticket=${issueTicket(project.tokens.editor)}`,
    );
    await new Promise((resolve, reject) => {
      raw.once('open', resolve);
      raw.once('error', reject);
    });
    const ghostDoc = new Y.Doc();
    const ghost = new Awareness(ghostDoc);
    ghost.setLocalStateField('user', { name: 'Gone Soon', color: '#999' });
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 1);
    encoding.writeVarUint8Array(encoder, encodeAwarenessUpdate(ghost, [ghostDoc.clientID]));
    raw.send(encoding.toUint8Array(encoder));
    await waitFor('a to see the ghost', () => a.awareness.getStates().has(ghostDoc.clientID));
    raw.terminate();
    await waitFor('the ghost to disappear for a', () => !a.awareness.getStates().has(ghostDoc.clientID));
    ghost.destroy();
    closeClients(a);
  });

  test('[Y16] presence renewals (unchanged states re-sent) are relayed together, a moment later; changes at once', async () => {
    const name = scriptDocName(project.projectId, 'renewals');
    const observer = client(name, project.tokens.owner);
    await synced(observer);
    const others = [0, 1, 2, 3].map(() => client(name, project.tokens.editor));
    try {
      for (const other of others) await synced(other);
      others.forEach((other, i) => other.awareness.setLocalStateField('user', { name: `tab ${i}`, color: '#3e3' }));
      await waitFor('the observer to see the four', () =>
        others.every((other) => observer.awareness.getStates().has(other.awareness.clientID)),
      );
      // Awareness messages (type 1) reaching the observer from now on, and what each carried.
      const messages: number[] = [];
      const socket = observer.ws!;
      const onmessage = socket.onmessage!.bind(socket);
      socket.onmessage = (event) => {
        if (new Uint8Array(event.data as ArrayBuffer)[0] === 1) messages.push(performance.now());
        onmessage(event);
      };
      const clockOf = (other: WebsocketProvider) => observer.awareness.meta.get(other.awareness.clientID)?.clock ?? -1;
      const before = others.map(clockOf);
      // All four renew at once, as y-protocols does every 15 s for clients that connected together.
      const renewedAt = performance.now();
      for (const other of others) other.awareness.setLocalState(other.awareness.getLocalState());
      await waitFor('the observer to hear every renewal', () =>
        others.every((other, i) => clockOf(other) > before[i]!),
      );
      // One message for the four, not one each; none of it before the renewals had a moment to gather.
      expect(messages.length).toBe(1);
      expect(messages[0]! - renewedAt).toBeGreaterThan(1_000);
      // A change is not held back.
      messages.length = 0;
      const changedAt = performance.now();
      others[0]!.awareness.setLocalStateField('cursor', { anchor: 1 });
      await waitFor('the observer to see the cursor', () =>
        Boolean(observer.awareness.getStates().get(others[0]!.awareness.clientID)?.cursor),
      );
      expect(performance.now() - changedAt).toBeLessThan(1_000);
    } finally {
      // A failure must not leave the doc loaded for the tests after it.
      closeClients(observer, ...others);
    }
  });

  test('[Y3] a loaded doc keeps nothing of the tabs that left: 20 come and go while one stays, and presence follows', async () => {
    const name = scriptDocName(project.projectId, 'many-tabs');
    const stays = client(name, project.tokens.owner);
    await synced(stays);
    stays.awareness.setLocalStateField('user', { name: 'Olivia', color: '#e33' });
    for (let tab = 0; tab < 20; tab++) {
      // A reloaded tab is a new Y.Doc, so a new awareness client id.
      const visitor = client(name, project.tokens.editor);
      await synced(visitor);
      visitor.awareness.setLocalStateField('user', { name: `tab ${tab}`, color: '#3e3' });
      await waitFor('the visitor to be seen', () => stays.awareness.getStates().has(visitor.awareness.clientID));
      closeClients(visitor);
      await waitFor('the visitor to be gone', () => !stays.awareness.getStates().has(visitor.awareness.clientID));
    }
    // y-protocols kept a clock per client id that ever joined (21 here) until the doc unloaded.
    await waitFor('only the remaining tab to be kept', () => server.collab.metrics().awarenessEntries === 1);
    // The one that stayed is still seen by a newcomer.
    const late = client(name, project.tokens.editor);
    await synced(late);
    await waitFor('the newcomer to see the tab that stayed', () =>
      late.awareness.getStates().has(stays.awareness.clientID),
    );
    closeClients(late, stays);
    await waitFor('the doc to unload', () => server.collab.metrics().docsLoaded === 0);
    expect(server.collab.metrics().awarenessEntries).toBe(0);
  });

  test('[Y8] a client that edits while disconnected merges on reconnect', async () => {
    const name = noteDocName(project.projectId, 'scenes', 'scene-12');
    const a = client(name, project.tokens.owner);
    const b = client(name, project.tokens.editor);
    await Promise.all([synced(a), synced(b)]);
    a.doc.getText('t').insert(0, 'Rain machine on standby.');
    await waitFor('b to see a', () => b.doc.getText('t').toString() === 'Rain machine on standby.');
    b.disconnect();
    b.doc.getText('t').insert(0, 'OFFLINE: ');
    a.doc.getText('t').insert(a.doc.getText('t').length, ' Wet-down at 21:00.');
    b.connect();
    const expected = 'OFFLINE: Rain machine on standby. Wet-down at 21:00.';
    await waitFor(
      'both to merge',
      () => a.doc.getText('t').toString() === expected && b.doc.getText('t').toString() === expected,
    );
    await waitFor(
      'the merge to be stored',
      async () => (await storedDoc(db.pool, project.projectId, name)).getText('t').toString() === expected,
    );
    closeClients(a, b);
  });

  test('[Y4] a viewer reads the doc and sees cursors, but its edits reach neither other clients nor storage', async () => {
    const name = scriptDocName(project.projectId, 'viewer');
    const editor = client(name, project.tokens.editor);
    await synced(editor);
    editor.doc.getText('t').insert(0, 'EXT. DESERT - DAY');
    const viewer = client(name, project.tokens.viewer);
    await synced(viewer);
    await waitFor('the viewer to read', () => viewer.doc.getText('t').toString() === 'EXT. DESERT - DAY');

    viewer.awareness.setLocalStateField('user', { name: 'Vera', color: '#0af' });
    await waitFor('the editor to see the viewer cursor', () =>
      [...editor.awareness.getStates().values()].some(
        (state) => (state.user as { name?: string } | undefined)?.name === 'Vera Viewer',
      ),
    );

    const rowsBefore = await logRows(name);
    viewer.doc.getText('t').insert(0, 'VIEWER WAS HERE ');
    // A later editor edit is the barrier: once it arrives, the viewer's earlier message was processed.
    editor.doc.getText('t').insert(editor.doc.getText('t').length, '!');
    await waitFor('the viewer to get the editor edit', () => viewer.doc.getText('t').toString().endsWith('!'));
    expect(editor.doc.getText('t').toString()).toBe('EXT. DESERT - DAY!');
    const stored = await storedDoc(db.pool, project.projectId, name);
    expect(stored.getText('t').toString()).toBe('EXT. DESERT - DAY!');
    expect(await logRows(name)).toBe(rowsBefore + 1);
    // A fresh reader sees no trace of it either.
    const late = client(name, project.tokens.owner);
    await synced(late);
    expect(late.doc.getText('t').toString()).toBe('EXT. DESERT - DAY!');
    closeClients(editor, viewer, late);
  });

  test('[Y9] garbage and truncated messages close only their own connection; the server and other docs go on', async () => {
    const name = scriptDocName(project.projectId, 'garbage');
    const other = noteDocName(project.projectId, 'shots', 'shot-9');
    const a = client(name, project.tokens.editor);
    const b = client(other, project.tokens.editor);
    await Promise.all([synced(a), synced(b)]);

    const update = (() => {
      const doc = new Y.Doc();
      doc.getText('t').insert(0, 'hello there');
      return Y.encodeStateAsUpdate(doc);
    })();
    const truncatedUpdate = (() => {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, 0);
      encoding.writeVarUint(encoder, 2);
      encoding.writeVarUint8Array(encoder, update.subarray(0, update.length - 4));
      return encoding.toUint8Array(encoder);
    })();
    const messages: Record<string, Uint8Array> = {
      'random bytes': new Uint8Array([0xff, 0xfe, 0x13, 0x37, 0x00, 0x42]),
      'unknown message type': new Uint8Array([9, 0, 0]),
      'truncated frame': new Uint8Array([0, 2, 50, 1, 2, 3]),
      'update with a cut-off payload': truncatedUpdate,
      'awareness garbage': new Uint8Array([1, 3, 0xff, 0xff, 0xff]),
    };
    for (const [label, message] of Object.entries(messages)) {
      const raw = new WebSocket(
        `${server.url.replace('http', 'ws')}/yjs/${name}?ticket=${issueTicket(project.tokens.editor)}`,
      );
      await new Promise((resolve, reject) => {
        raw.once('open', resolve);
        raw.once('error', reject);
      });
      const closed = new Promise<number>((resolve) => raw.once('close', (code) => resolve(code)));
      raw.send(message);
      expect(await closed, label).toBe(CLOSE.INVALID_PAYLOAD);
    }
    expect((await storedDoc(db.pool, project.projectId, name)).getText('t').toString()).toBe('');

    // Everyone else is unaffected.
    a.doc.getText('t').insert(0, 'still here');
    b.doc.getText('t').insert(0, 'me too');
    const a2 = client(name, project.tokens.owner);
    const b2 = client(other, project.tokens.owner);
    await waitFor(
      'both docs to keep relaying',
      () => a2.doc.getText('t').toString() === 'still here' && b2.doc.getText('t').toString() === 'me too',
    );
    closeClients(a, b, a2, b2);
  });
});

describe('fan-out', () => {
  test('[Y10] with Redis unreachable a doc still loads, stores and relays on its instance', async () => {
    const { logger, lines } = createRecordingLogger('warn');
    // Nothing listens on port 1.
    const pubsub = createRedisPubSub({ redisUrl: 'redis://127.0.0.1:1', logger, subscribeTimeoutMs: 500 });
    const lonely = await startCollabHttpServer(db.pool, { pubsub, logger });
    try {
      const name = scriptDocName(project.projectId, 'no-redis');
      const a = connectClient(lonely.url, name, project.tokens.owner);
      const b = connectClient(lonely.url, name, project.tokens.editor);
      providers.push(a, b);
      await Promise.all([synced(a), synced(b)]);
      a.doc.getText('t').insert(0, 'still works');
      await waitFor('b to see it', () => b.doc.getText('t').toString() === 'still works');
      expect((await storedDoc(db.pool, project.projectId, name)).getText('t').toString()).toBe('still works');
      a.destroy();
      b.destroy();
    } finally {
      await lonely.close();
      await pubsub.close();
    }
    // The outage is reported, not hidden.
    expect(lines.some((line) => line.level === 'warn' && /redis/.test(line.msg))).toBe(true);
  });

  test.each([
    ['its own writer', 'lost-message', false],
    ['another writer (its origin is what the doc lacks)', 'lost-other-writer', true],
  ])(
    '[Y10] an update from another instance that builds on an edit of %s whose message was lost makes the doc read what it missed',
    async (_who, docId, otherWriter) => {
      const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
      const logger = createRecordingLogger('silent').logger;
      const here = createRedisPubSub({ redisUrl, logger });
      // Stands for another instance: it stores updates and publishes them on the doc's channel.
      const elsewhere = createRedisPubSub({ redisUrl, logger });
      const otherInstance = createDocFanout(elsewhere, logger, {
        update: () => undefined,
        awareness: () => undefined,
        missed: () => undefined,
      });
      const instance = await startCollabHttpServer(db.pool, { pubsub: here, logger });
      try {
        const name = scriptDocName(project.projectId, docId);
        const observer = connectClient(instance.url, name, project.tokens.owner);
        providers.push(observer);
        await synced(observer);

        const first = new Y.Doc();
        const store = new DocStore(db.pool);
        first.getText('t').insert(0, 'INT. LOST - ');
        const lost = Y.encodeStateAsUpdate(first);
        // Stored, but its message never reaches this instance.
        await store.append(project.projectId, name, lost);
        const writer = otherWriter ? new Y.Doc() : first;
        if (otherWriter) Y.applyUpdate(writer, lost);
        const before = Y.encodeStateVector(writer);
        writer.getText('t').insert(writer.getText('t').length, 'FOUND');
        const next = Y.encodeStateAsUpdate(writer, before);
        await store.append(project.projectId, name, next);
        otherInstance.publishUpdate(name, next);

        await waitFor(
          'the observer to get both edits',
          () => observer.doc.getText('t').toString() === 'INT. LOST - FOUND',
        );
        observer.destroy();
      } finally {
        otherInstance.close();
        await instance.close();
        await here.close();
        await elsewhere.close();
      }
    },
  );
});

describe('client provider', () => {
  test('[Y3] createCollabProvider connects with the token, syncs, and shares the user for cursors', async () => {
    expect(collabServerUrl('https://clapper.example/')).toBe('wss://clapper.example/yjs');
    expect(collabServerUrl('http://127.0.0.1:4000')).toBe('ws://127.0.0.1:4000/yjs');
    const docName = noteDocName(project.projectId, 'day_banners', 'day-1');
    const options = {
      serverUrl: server.url,
      docName,
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      crossTab: false,
    };
    const a = createCollabProvider({
      ...options,
      token: project.tokens.owner,
      user: { name: 'Olivia', color: '#e33' },
    });
    const b = createCollabProvider({
      ...options,
      token: project.tokens.editor,
      user: { name: 'Eddie', color: '#3e3' },
    });
    try {
      expect(a.local).toBeNull(); // no IndexedDB in Node
      await Promise.all([a.whenSynced(), b.whenSynced()]);
      a.doc.getText('t').insert(0, 'Call time 06:00');
      await waitFor('b to see a', () => b.doc.getText('t').toString() === 'Call time 06:00');
      await waitFor("b to see a's cursor owner", () =>
        [...b.awareness.getStates().values()].some(
          (s) => (s.user as { name?: string } | undefined)?.name === 'Olivia Owner',
        ),
      );
    } finally {
      a.destroy();
      b.destroy();
    }
  });
});

describe('scripts', () => {
  test('[Y13] a script typed in a Lexical editor on one device reads headlessly on another, through the server', async () => {
    const name = scriptDocName(project.projectId, 'pilot');
    const writer = client(name, project.tokens.editor);
    await synced(writer);
    const { editor, dispose } = bindHeadlessEditor(writer.doc, writer as unknown as Provider);
    editor.update(
      () => {
        const heading = new SceneHeadingNode().append($createTextNode('INT. DINER - NIGHT'));
        const action = new ActionNode().append($createTextNode('Neon buzzes.'));
        const second = new SceneHeadingNode().append($createTextNode('EXT. PARKING LOT - LATER'));
        $getRoot().append(heading, action, second);
      },
      { discrete: true },
    );
    const reader = client(name, project.tokens.viewer);
    await synced(reader);
    await waitFor('the reader to see both headings', () => readScript(reader.doc).sceneHeadings.length === 2);
    expect(readScript(reader.doc)).toMatchObject({
      text: 'INT. DINER - NIGHT\nNeon buzzes.\nEXT. PARKING LOT - LATER',
      sceneHeadings: ['INT. DINER - NIGHT', 'EXT. PARKING LOT - LATER'],
    });
    expect(readScript(await storedDoc(db.pool, project.projectId, name)).sceneHeadings).toEqual([
      'INT. DINER - NIGHT',
      'EXT. PARKING LOT - LATER',
    ]);
    dispose();
    closeClients(writer, reader);
  });
});

describe('persistence', () => {
  test('[Y5] an edit another client has seen is already in PostgreSQL', async () => {
    const name = scriptDocName(project.projectId, 'durable');
    const a = client(name, project.tokens.owner);
    const b = client(name, project.tokens.editor);
    await Promise.all([synced(a), synced(b)]);
    for (let i = 0; i < 20; i += 1) {
      a.doc.getText('t').insert(0, `${i};`);
      const expected = a.doc.getText('t').toString();
      await waitFor('b to see the edit', () => b.doc.getText('t').toString() === expected);
      // The moment b has it, the store has it: no waiting.
      expect((await storedDoc(db.pool, project.projectId, name)).getText('t').toString()).toBe(expected);
    }
    closeClients(a, b);
  });

  test('[Y6] a burst of 200 keystrokes is group-committed into a handful of rows, and still relayed in full', async () => {
    const name = scriptDocName(project.projectId, 'burst');
    const a = client(name, project.tokens.owner);
    const b = client(name, project.tokens.editor);
    await Promise.all([synced(a), synced(b)]);
    const rowsBefore = server.collab.metrics().rowsWritten;
    // 200 transactions in one tick: 200 separate update messages on the wire.
    for (let i = 0; i < 200; i += 1) a.doc.getText('t').insert(i, String.fromCharCode(97 + (i % 26)));
    const expected = a.doc.getText('t').toString();
    await waitFor('b to see the burst', () => b.doc.getText('t').toString() === expected);
    const rows = server.collab.metrics().rowsWritten - rowsBefore;
    expect(rows).toBeGreaterThanOrEqual(1);
    expect(rows).toBeLessThan(20);
    expect(await logRows(name)).toBe(rows);
    expect((await storedDoc(db.pool, project.projectId, name)).getText('t').toString()).toBe(expected);
    closeClients(a, b);
  });

  test('[Y6] when PostgreSQL rejects a write nothing is relayed; the sender reconnects and its edit lands once the database is back', async () => {
    const name = scriptDocName(project.projectId, 'write-failure');
    const a = client(name, project.tokens.owner);
    const b = client(name, project.tokens.editor);
    await Promise.all([synced(a), synced(b)]);
    a.doc.getText('t').insert(0, 'before;');
    await waitFor('b to see the first edit', () => b.doc.getText('t').toString() === 'before;');
    const disconnected = new Promise<void>((resolve) =>
      a.on('status', ({ status }: { status: string }) => status === 'disconnected' && resolve()),
    );
    // A real failure: the log table is gone for a moment.
    await db.pool.query('ALTER TABLE yjs_updates RENAME TO yjs_updates_away');
    try {
      a.doc.getText('t').insert(7, 'during;');
      await disconnected;
      expect(b.doc.getText('t').toString()).toBe('before;');
    } finally {
      await db.pool.query('ALTER TABLE yjs_updates_away RENAME TO yjs_updates');
    }
    await waitFor('the edit to land after reconnect', () => b.doc.getText('t').toString() === 'before;during;');
    expect((await storedDoc(db.pool, project.projectId, name)).getText('t').toString()).toBe('before;during;');
    closeClients(a, b);
  });

  test('[Y7] everything survives a server restart, and the doc unloads after the last client leaves', async () => {
    const name = scriptDocName(project.projectId, 'restart');
    const a = client(name, project.tokens.owner);
    await synced(a);
    a.doc.getText('t').insert(0, 'FADE IN:');
    a.doc.getMap('meta').set('title', 'Night Shoot');
    await waitFor('the edit to be stored', async () => (await logRows(name)) > 0);
    closeClients(a);
    await waitFor('the doc to unload', () => server.collab.metrics().docsLoaded === 0);
    // Unload compacted the log into the snapshot...
    expect(await logRows(name)).toBe(0);
    // ...on the merger's worker, which keeps no copy of the doc and, with no doc loaded,
    // stops at once (Y11).
    expect(server.collab.metrics().merger.running).toBe(false);

    await server.close();
    server = await startCollabHttpServer(db.pool);
    const b = client(name, project.tokens.editor);
    await synced(b);
    expect(b.doc.getText('t').toString()).toBe('FADE IN:');
    expect(b.doc.getMap('meta').get('title')).toBe('Night Shoot');
    closeClients(b);
  });

  test('[Y7] a client joining while the doc unloads waits for the unload and sees everything', async () => {
    const name = noteDocName(project.projectId, 'scripts', 'churn');
    for (let round = 0; round < 15; round += 1) {
      const writer = client(name, project.tokens.owner);
      await synced(writer);
      writer.doc.getText('t').insert(writer.doc.getText('t').length, `${round};`);
      const expected = writer.doc.getText('t').toString();
      await waitFor(
        'the edit to be stored',
        async () => (await storedDoc(db.pool, project.projectId, name)).getText('t').toString() === expected,
      );
      // Last client leaves (unload + compaction starts) and a new one joins at once.
      writer.destroy();
      const reader = client(name, project.tokens.editor);
      await synced(reader);
      expect(reader.doc.getText('t').toString()).toBe(expected);
      reader.destroy();
    }
    await waitFor('the doc to unload', () => server.collab.metrics().docsLoaded === 0);
    expect(await logRows(name)).toBe(0);
  });

  test('[Y11] compaction keeps the content identical and shrinks the stored size', async () => {
    const name = scriptDocName(project.projectId, 'compaction');
    const store = new DocStore(db.pool);
    const a = client(name, project.tokens.owner);
    await synced(a);
    const text = a.doc.getText('t');
    let cursor = 0;
    const rowsBefore = server.collab.metrics().rowsWritten;
    for (let i = 0; i < 300; i += 1) {
      a.doc.transact(() => {
        // Typing: a keystroke at the cursor, a backspace now and then, the cursor jumping
        // elsewhere every few words.
        if (i % 40 === 0) cursor = Math.floor((i * 7919) % (text.length + 1));
        if (i % 5 === 4 && cursor > 0) text.delete(--cursor, 1);
        else text.insert(cursor++, 'abcdefghij'[i % 10] as string);
      });
      // One row per edit: wait for each to be stored so group commit can't merge them.
      await waitFor('the edit to be stored', () => server.collab.metrics().rowsWritten >= rowsBefore + i + 1);
    }
    const expected = text.toString();
    const before = await store.storedBytes(project.projectId, name);
    expect(before.logRows).toBe(300);
    const result = await store.compact(project.projectId, name);
    expect(result.mergedRows).toBe(300);
    const after = await store.storedBytes(project.projectId, name);
    expect(after.logRows).toBe(0);
    expect(after.snapshot + after.log).toBeLessThan((before.snapshot + before.log) / 2);
    expect((await storedDoc(db.pool, project.projectId, name)).getText('t').toString()).toBe(expected);
    // A new client loads the compacted doc; edits after compaction still land.
    const b = client(name, project.tokens.editor);
    await synced(b);
    expect(b.doc.getText('t').toString()).toBe(expected);
    b.doc.getText('t').insert(0, '>');
    await waitFor('a to see the post-compaction edit', () => text.toString() === `>${expected}`);
    closeClients(a, b);
  });

  test('[Y11] a big doc is not rewritten every few keystrokes: its log must reach half of the snapshot first', async () => {
    const small = await startCollabHttpServer(db.pool, { compactAfterRows: 20 });
    try {
      const name = scriptDocName(project.projectId, 'big-doc');
      const a = connectClient(small.url, name, project.tokens.owner);
      providers.push(a);
      await synced(a);
      const text = a.doc.getText('t');
      text.insert(0, 'A long screenplay page. '.repeat(2500));
      for (let i = 0; i < 80; i += 1) {
        text.insert(i, 'x');
        await waitFor('the edit to be stored', () => small.collab.metrics().rowsWritten >= i + 2);
      }
      // Row 21 compacted the 60 kB insert into the snapshot; the ~60 rows after it are far
      // below 30 kB, so the snapshot was not rewritten again.
      await waitFor('the first compaction', () => small.collab.metrics().compactions >= 1);
      expect(small.collab.metrics().compactions).toBe(1);
      expect(await logRows(name)).toBeGreaterThanOrEqual(55);
      a.destroy();
      await waitFor('the doc to unload', () => small.collab.metrics().docsLoaded === 0);
      expect(await logRows(name)).toBe(0);
      expect((await storedDoc(db.pool, project.projectId, name)).getText('t').length).toBe(60_080);
    } finally {
      await small.close();
    }
  });

  test('[Y11] past the row threshold, a log of a quarter of the snapshot does not compact; half of it does', async () => {
    const small = await startCollabHttpServer(db.pool, { compactAfterRows: 20 });
    try {
      const name = scriptDocName(project.projectId, 'half-threshold');
      const a = connectClient(small.url, name, project.tokens.owner);
      providers.push(a);
      await synced(a);
      const text = a.doc.getText('t');
      let rows = 0;
      const write = async (content: string) => {
        text.insert(0, content);
        rows += 1;
        await waitFor('the edit to be stored', () => small.collab.metrics().rowsWritten >= rows);
      };
      // A 60 kB snapshot: the first compaction, once 20 rows are in.
      await write('A long screenplay page. '.repeat(2500));
      while (small.collab.metrics().compactions === 0) await write('x');
      const snapshotBytes = (await new DocStore(db.pool).storedBytes(project.projectId, name)).snapshot;
      expect(snapshotBytes).toBeGreaterThan(60_000);
      // 25 rows of 1 kB: past 20 rows and past a quarter of the snapshot, short of half.
      for (let i = 0; i < 25; i += 1) await write('y'.repeat(1000));
      expect(small.collab.metrics().compactions).toBe(1);
      // 10 more take the log past half.
      for (let i = 0; i < 10; i += 1) await write('z'.repeat(1000));
      await waitFor('the second compaction', () => small.collab.metrics().compactions === 2);
      expect((await storedDoc(db.pool, project.projectId, name)).getText('t').toString()).toBe(text.toString());
      a.destroy();
    } finally {
      await small.close();
    }
  });

  test('[Y11] docs that come due together compact one at a time, the others waiting without a pooled connection', async () => {
    // The server's own pool, counting the connections held by transactions (compaction's
    // pool.connect(); single queries check theirs out through a callback and are not counted).
    const pool = createPool(db.url, 8);
    const connect = pool.connect.bind(pool) as (...args: unknown[]) => Promise<PoolClient>;
    let held = 0;
    let mostHeld = 0;
    pool.connect = ((...args: unknown[]) => {
      if (args.length > 0) return connect(...args);
      return connect().then((client) => {
        held += 1;
        mostHeld = Math.max(mostHeld, held);
        const release = client.release.bind(client);
        client.release = (error?: Error | boolean) => {
          held -= 1;
          return release(error);
        };
        return client;
      });
    }) as Pool['connect'];
    const small = await startCollabHttpServer(pool);
    try {
      const names = Array.from({ length: 8 }, (_, i) => scriptDocName(project.projectId, `due-together-${i}`));
      const clients = names.map((name) => connectClient(small.url, name, project.tokens.owner));
      providers.push(...clients);
      await Promise.all(clients.map((c) => synced(c)));
      for (const [i, c] of clients.entries()) c.doc.getText('t').insert(0, `doc ${i}`);
      await waitFor('every edit stored', () => small.collab.metrics().rowsWritten >= clients.length);
      // Every doc unloads at once, each compacting its log as it goes (as docs typed together come due together).
      closeClients(...clients);
      await waitFor('every doc compacted', () => small.collab.metrics().compactions >= clients.length, 45_000);
      expect(mostHeld).toBe(1);
      for (const [i, name] of names.entries()) {
        expect(await logRows(name)).toBe(0);
        expect((await storedDoc(db.pool, project.projectId, name)).getText('t').toString()).toBe(`doc ${i}`);
      }
    } finally {
      await small.close();
      await pool.end();
    }
  });

  test('[Y11] a loaded doc compacts by itself once its log passes the row threshold', async () => {
    const small = await startCollabHttpServer(db.pool, { compactAfterRows: 20 });
    try {
      const name = scriptDocName(project.projectId, 'auto-compaction');
      const a = connectClient(small.url, name, project.tokens.owner);
      providers.push(a);
      await synced(a);
      for (let i = 0; i < 45; i += 1) {
        a.doc.getText('t').insert(0, 'x');
        await waitFor('the edit to be stored', async () => small.collab.metrics().rowsWritten >= i + 1);
      }
      // Compaction merges on a worker thread: on a busy machine starting it alone can take seconds.
      await waitFor('two compactions', () => small.collab.metrics().compactions >= 2, 45_000);
      expect(await logRows(name)).toBeLessThan(20);
      expect((await storedDoc(db.pool, project.projectId, name)).getText('t').toString()).toBe('x'.repeat(45));
      a.destroy();
    } finally {
      await small.close();
    }
  });
});
