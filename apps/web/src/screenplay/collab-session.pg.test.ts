// The one collab provider the app uses (the editors' CollabSession), against a real
// Clapper server (real sign-in, project, membership), with a stock y-websocket client on
// the other side and y-indexeddb on fake-indexeddb standing in for the browser's store.
import 'fake-indexeddb/auto';
import { type TestServer, startTestServer } from '@clapper/api';
import { scriptDocName } from '@clapper/collab/client';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { WebSocket } from 'ws';
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { type CollabSession, createCollabSession } from './collab-session.ts';

let server: TestServer;
let owner: string;
let editor: string;
let projectId: string;
const sessions: CollabSession[] = [];

beforeAll(async () => {
  // The session opens its socket with the platform's WebSocket, which Node 20 lacks.
  (globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;
  server = await startTestServer();
  owner = (await server.signIn('owner@session.test')).token;
  editor = (await server.signIn('editor@session.test')).token;
  projectId = (await server.createProject(owner, 'Session')).id;
  await server.addMember(owner, projectId, 'editor@session.test', 'editor');
});

afterAll(async () => {
  for (const session of sessions) session.destroy();
  await server?.close();
});

function open(docName: string, token: string): CollabSession {
  const session = createCollabSession({
    serverUrl: server.url,
    docName,
    token,
    seedBlockType: 'scene-heading',
    localStoreName: `clapper:test-user:${docName}`,
  });
  sessions.push(session);
  // What CollaborationPlugin does once it has bound the editor.
  void session.provider.connect();
  return session;
}

async function waitFor(what: string, condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const blocks = (doc: Y.Doc) =>
  (doc.get('root', Y.XmlText).toDelta() as { insert: unknown }[]).map(({ insert }) =>
    insert instanceof Y.XmlText ? `${String(insert.getAttribute('__type'))}:${insert.toString()}` : '?',
  );

/** A long script: 300 blocks of 400 characters (120 KB), written as 300 updates. */
function writeLongScript(doc: Y.Doc): void {
  const root = doc.get('root', Y.XmlText);
  for (let i = 0; i < 300; i += 1) {
    const block = new Y.XmlText();
    block.setAttribute('__type', 'action');
    root.insertEmbed(root.length, block);
    block.insert(0, `Line ${i} `.padEnd(400, 'x'));
  }
}

test('two sessions opening an empty script at once agree on one first block, and what one writes reaches a stock client', async () => {
  const docName = scriptDocName(projectId, 'first-block');
  const a = open(docName, owner);
  const b = open(docName, editor);
  await waitFor('both synced', () => a.status() === 'synced' && b.status() === 'synced');
  await waitFor('the seed', () => blocks(a.doc).length === 1 && blocks(b.doc).length === 1);
  expect(blocks(a.doc)).toEqual(['scene-heading:']);

  const first = a.doc.get('root', Y.XmlText).toDelta()[0].insert as Y.XmlText;
  first.insert(0, 'INT. ATTIC - NIGHT');
  // A stock client opens its socket with a single-use ticket (the session token never goes in a URL).
  const reader = new WebsocketProvider(`${server.wsUrl}/yjs`, docName, new Y.Doc(), {
    params: { ticket: await server.ticket(editor, projectId) },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  try {
    await waitFor(
      'the stock client to read it',
      () => blocks(reader.doc).join() === 'scene-heading:INT. ATTIC - NIGHT',
    );
    await waitFor('the other session to read it', () => blocks(b.doc).join() === 'scene-heading:INT. ATTIC - NIGHT');
  } finally {
    reader.destroy();
  }
});

test('a session keeps what was written in its IndexedDB copy for the next one, and destroying it lets the copy go', async () => {
  const docName = scriptDocName(projectId, 'released');
  const first = open(docName, owner);
  await waitFor(
    'synced and seeded',
    () => first.status() === 'synced' && first.localLoaded() && blocks(first.doc).length === 1,
  );
  (first.doc.get('root', Y.XmlText).toDelta()[0].insert as Y.XmlText).insert(0, 'EXT. PIER - DAWN');
  // y-indexeddb stores each update as it happens; let this one land.
  await new Promise((resolve) => setTimeout(resolve, 200));
  first.destroy();

  // Offline now (a session that never reaches the server): it comes up from the local copy alone.
  const offline = createCollabSession({
    serverUrl: 'http://127.0.0.1:9',
    docName,
    token: owner,
    seedBlockType: 'scene-heading',
    localStoreName: `clapper:test-user:${docName}`,
  });
  sessions.push(offline);
  void offline.provider.connect();
  await waitFor('the local copy', () => offline.localLoaded());
  expect(blocks(offline.doc)).toEqual(['scene-heading:EXT. PIER - DAWN']);
  offline.destroy();

  // Released: the copy can be deleted (y-indexeddb closes on a version change anyway), and
  // nothing of the destroyed sessions writes it back; the next session starts from nothing
  // but the seed.
  await new Promise<void>((resolve, reject) => {
    const deletion = indexedDB.deleteDatabase(`clapper:test-user:${docName}`);
    deletion.onsuccess = () => resolve();
    deletion.onerror = () => reject(deletion.error);
  });
  await new Promise((resolve) => setTimeout(resolve, 200));
  const fresh = createCollabSession({
    serverUrl: 'http://127.0.0.1:9',
    docName,
    token: owner,
    seedBlockType: 'scene-heading',
    localStoreName: `clapper:test-user:${docName}`,
  });
  sessions.push(fresh);
  void fresh.provider.connect();
  await waitFor('the empty local copy, seeded', () => fresh.localLoaded() && blocks(fresh.doc).length === 1);
  expect(blocks(fresh.doc)).toEqual(['scene-heading:']);
});

test('a session with a local copy asks the server only for what the copy lacks, not the whole doc again', async () => {
  const docName = scriptDocName(projectId, 'reopened');
  // Bytes each socket receives, by doc (the session opens its socket with the platform's WebSocket).
  const received = new Map<string, number>();
  const Base = globalThis.WebSocket as unknown as typeof WebSocket;
  class CountingWebSocket extends Base {
    constructor(...args: ConstructorParameters<typeof WebSocket>) {
      super(...args);
      const key = String(args[0]);
      this.addEventListener('message', (event) => {
        const data = event.data as ArrayBuffer | Buffer;
        received.set(key, (received.get(key) ?? 0) + data.byteLength);
      });
    }
  }
  const bytesFor = () => [...received.values()].reduce((sum, n) => sum + n, 0);
  (globalThis as { WebSocket?: unknown }).WebSocket = CountingWebSocket;
  try {
    const first = open(docName, owner);
    await waitFor(
      'synced and seeded',
      () => first.status() === 'synced' && first.localLoaded() && blocks(first.doc).length === 1,
    );
    writeLongScript(first.doc);
    // y-indexeddb stores each update as it happens, and the server gets them: let both land.
    const whole = Y.encodeStateAsUpdate(first.doc).byteLength;
    await new Promise((resolve) => setTimeout(resolve, 500));
    first.destroy();
    received.clear();

    // A local copy slower to load than the server to answer (a busy browser, a big copy):
    // opening the store answers 300 ms late.
    const openStore = indexedDB.open.bind(indexedDB);
    indexedDB.open = (...args: Parameters<IDBFactory['open']>) => {
      const request = openStore(...args);
      const dispatch = request.dispatchEvent.bind(request);
      request.dispatchEvent = (event: Event) => {
        if (event.type !== 'success') return dispatch(event);
        setTimeout(() => dispatch(event), 300);
        return true;
      };
      return request;
    };
    const again = open(docName, owner);
    await waitFor('synced again', () => again.status() === 'synced' && again.localLoaded());
    expect(blocks(again.doc)).toHaveLength(301);
    // The server's answer is what the copy lacks (nothing), not the 120 KB doc.
    expect(whole).toBeGreaterThan(120_000);
    expect(bytesFor()).toBeLessThan(whole / 10);
  } finally {
    (globalThis as { WebSocket?: unknown }).WebSocket = Base;
    indexedDB.open = IDBFactory.prototype.open;
  }
});

test('a browser that never held a copy of the doc opens its socket without waiting for its local store; once it holds one, the next open waits for it', async () => {
  const docName = scriptDocName(projectId, 'new-device');
  const localStoreName = `clapper:test-user:${docName}`;
  // The browser's localStorage (Node has none): where the session notes which docs it holds.
  const stored = new Map<string, string>();
  (globalThis as { localStorage?: unknown }).localStorage = {
    getItem: (key: string) => stored.get(key) ?? null,
    setItem: (key: string, value: string) => void stored.set(key, value),
    removeItem: (key: string) => void stored.delete(key),
  };
  // Whether the local copy had loaded when each socket was made.
  const loadedAtSocket: boolean[] = [];
  let current: CollabSession | null = null;
  const Base = globalThis.WebSocket as unknown as typeof WebSocket;
  class WatchedWebSocket extends Base {
    constructor(...args: ConstructorParameters<typeof WebSocket>) {
      super(...args);
      loadedAtSocket.push(current?.localLoaded() ?? false);
    }
  }
  (globalThis as { WebSocket?: unknown }).WebSocket = WatchedWebSocket;
  // A local store slow to open (300 ms), as a busy browser's.
  const openStore = indexedDB.open.bind(indexedDB);
  indexedDB.open = (...args: Parameters<IDBFactory['open']>) => {
    const request = openStore(...args);
    const dispatch = request.dispatchEvent.bind(request);
    request.dispatchEvent = (event: Event) => {
      if (event.type !== 'success') return dispatch(event);
      setTimeout(() => dispatch(event), 300);
      return true;
    };
    return request;
  };
  const openSession = () => {
    const session = createCollabSession({
      serverUrl: server.url,
      docName,
      token: owner,
      seedBlockType: 'scene-heading',
      localStoreName,
    });
    sessions.push(session);
    current = session;
    void session.provider.connect();
    return session;
  };
  try {
    const first = openSession();
    await waitFor('synced', () => first.status() === 'synced' && first.localLoaded() && blocks(first.doc).length === 1);
    // A new device: its socket did not wait for the (empty) local store.
    expect(loadedAtSocket).toEqual([false]);
    expect(stored.get(`clapper:local-copy:${localStoreName}`)).toBe('1');
    await new Promise((resolve) => setTimeout(resolve, 200));
    first.destroy();

    const again = openSession();
    await waitFor('synced again', () => again.status() === 'synced' && again.localLoaded());
    // It holds a copy now: the socket opened once the copy was in.
    expect(loadedAtSocket).toEqual([false, true]);
  } finally {
    (globalThis as { WebSocket?: unknown }).WebSocket = Base;
    indexedDB.open = IDBFactory.prototype.open;
    delete (globalThis as { localStorage?: unknown }).localStorage;
  }
});

test('opening from a local copy encodes no update for the copy it loads while nothing is connected, and what only the copy held still reaches the server', async () => {
  const docName = scriptDocName(projectId, 'local-load');
  const localStoreName = `clapper:test-user:${docName}`;
  const first = open(docName, owner);
  await waitFor('synced and seeded', () => first.status() === 'synced' && first.localLoaded());
  writeLongScript(first.doc);
  const whole = Y.encodeStateAsUpdate(first.doc).byteLength;
  await new Promise((resolve) => setTimeout(resolve, 500));
  first.destroy();
  // Written offline, into the local copy only.
  const offlineDoc = new Y.Doc();
  const offlineCopy = new IndexeddbPersistence(localStoreName, offlineDoc);
  await offlineCopy.whenSynced;
  const offlineBlock = new Y.XmlText();
  offlineBlock.setAttribute('__type', 'action');
  offlineDoc.get('root', Y.XmlText).insertEmbed(offlineDoc.get('root', Y.XmlText).length, offlineBlock);
  offlineBlock.insert(0, 'WRITTEN OFFLINE');
  await new Promise((resolve) => setTimeout(resolve, 200));
  await offlineCopy.destroy();
  offlineDoc.destroy();

  // Each update the doc emits is one Yjs encoded for its listeners.
  const again = createCollabSession({
    serverUrl: server.url,
    docName,
    token: owner,
    seedBlockType: 'scene-heading',
    localStoreName,
  });
  sessions.push(again);
  let encodedDuringLoad = 0;
  again.doc.on('update', (update: Uint8Array) => {
    if (!again.localLoaded()) encodedDuringLoad += update.byteLength;
  });
  void again.provider.connect();
  await waitFor('synced again', () => again.status() === 'synced' && again.localLoaded());
  expect(blocks(again.doc)).toHaveLength(302);
  expect(whole).toBeGreaterThan(120_000);
  // The whole script was encoded once more for nobody before (~121 KB); nothing now.
  expect(encodedDuringLoad).toBe(0);

  // The block only the copy held reaches the server (by the sync exchange on connecting).
  const reader = new WebsocketProvider(`${server.wsUrl}/yjs`, docName, new Y.Doc(), {
    params: { ticket: await server.ticket(owner, projectId) },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  try {
    await waitFor('the server to hold the offline block', () => blocks(reader.doc).at(-1) === 'action:WRITTEN OFFLINE');
  } finally {
    reader.destroy();
  }
  // Edits after the load are still encoded and sent.
  let encodedAfter = 0;
  again.doc.on('update', (update: Uint8Array) => (encodedAfter += update.byteLength));
  (again.doc.get('root', Y.XmlText).toDelta().at(-1).insert as Y.XmlText).insert(0, 'AND ONLINE ');
  expect(encodedAfter).toBeGreaterThan(0);
});
