// The client provider with a local IndexedDB copy (fake-indexeddb stands in for the
// browser's; everything else is real: server, PostgreSQL, y-websocket, y-indexeddb).
import 'fake-indexeddb/auto';
import { type TestDatabase, createTestDatabase } from '@clapper/db';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { WebSocket } from 'ws';
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import { type CollabProviderOptions, createCollabProvider } from './collab-provider.ts';
import {
  type CollabHttpServer,
  type SeededProject,
  seedProject,
  startCollabHttpServer,
  storedDoc,
  waitFor,
} from './collab-test-harness.ts';
import { scriptDocName } from './doc-name.ts';

let db: TestDatabase;
let server: CollabHttpServer;
let project: SeededProject;

beforeAll(async () => {
  db = await createTestDatabase();
  project = await seedProject(db.pool);
  server = await startCollabHttpServer(db.pool);
});

afterAll(async () => {
  await server?.close();
  await db?.drop();
});

test('[Y8] typing offline survives closing the tab: the reopened provider restores it from IndexedDB and merges it on reconnect', async () => {
  const docName = scriptDocName(project.projectId, 'offline-tab');
  const localName = `clapper:laptop-user:${docName}`;
  const options = (token: string): CollabProviderOptions => ({
    serverUrl: server.url,
    docName,
    token,
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    crossTab: false,
    // The web app names the local copy per user.
    localStoreName: localName,
  });
  const laptop = createCollabProvider(options(project.tokens.owner));
  const tablet = createCollabProvider({ ...options(project.tokens.editor), offline: true });
  expect(laptop.local).not.toBeNull();
  await Promise.all([laptop.whenSynced(), tablet.whenSynced()]);
  laptop.doc.getText('t').insert(0, 'INT. TRAIN - DAY');
  await waitFor('the tablet to see it', () => tablet.doc.getText('t').toString() === 'INT. TRAIN - DAY');

  // The laptop loses the network, keeps typing, and the tab is closed.
  laptop.websocket.disconnect();
  laptop.doc.getText('t').insert(0, 'EXT. PLATFORM - DAY\n');
  tablet.doc.getText('t').insert(tablet.doc.getText('t').length, '\nThe train pulls out.');
  await waitFor('IndexedDB to hold the offline typing', async () => {
    const probe = new Y.Doc();
    const reader = new IndexeddbPersistence(localName, probe);
    await reader.whenSynced;
    const held = probe.getText('t').toString().startsWith('EXT. PLATFORM');
    await reader.destroy();
    return held;
  });
  laptop.destroy();

  // Reopened without a connection first: the offline typing is there from IndexedDB.
  const reopened = createCollabProvider({ ...options(project.tokens.owner), connect: false });
  await reopened.local?.whenSynced;
  expect(reopened.doc.getText('t').toString()).toBe('EXT. PLATFORM - DAY\nINT. TRAIN - DAY');

  reopened.websocket.connect();
  const merged = 'EXT. PLATFORM - DAY\nINT. TRAIN - DAY\nThe train pulls out.';
  await waitFor(
    'both devices to merge',
    () => reopened.doc.getText('t').toString() === merged && tablet.doc.getText('t').toString() === merged,
  );
  expect((await storedDoc(db.pool, project.projectId, docName)).getText('t').toString()).toBe(merged);
  reopened.destroy();
  tablet.destroy();
});

test('a provider with a local copy asks the server only for what the copy lacks, not the whole doc again', async () => {
  const docName = scriptDocName(project.projectId, 'reopened-reader');
  // Bytes the sockets receive.
  let received = 0;
  class CountingWebSocket extends WebSocket {
    constructor(...args: ConstructorParameters<typeof WebSocket>) {
      super(...args);
      this.on('message', (data: Buffer) => (received += data.byteLength));
    }
  }
  const options: CollabProviderOptions = {
    serverUrl: server.url,
    docName,
    token: project.tokens.owner,
    WebSocketPolyfill: CountingWebSocket as unknown as typeof globalThis.WebSocket,
    crossTab: false,
    localStoreName: `clapper:reader-user:${docName}`,
  };
  const first = createCollabProvider(options);
  await first.whenSynced();
  const text = first.doc.getText('t');
  for (let i = 0; i < 300; i += 1) text.insert(text.length, `Line ${i} `.padEnd(400, 'x'));
  const whole = Y.encodeStateAsUpdate(first.doc).byteLength;
  await waitFor(
    'the server to store it',
    async () => (await storedDoc(db.pool, project.projectId, docName)).getText('t').length === text.length,
  );
  await new Promise((resolve) => setTimeout(resolve, 300));
  first.destroy();
  received = 0;

  // A local copy slower to load than the server to answer: opening the store answers 300 ms late.
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
  try {
    const again = createCollabProvider(options);
    await again.whenSynced();
    expect(again.doc.getText('t').length).toBe(text.length);
    expect(whole).toBeGreaterThan(120_000);
    expect(received).toBeLessThan(whole / 10);
    again.destroy();
  } finally {
    indexedDB.open = IDBFactory.prototype.open;
  }
});

test("the board's script reader encodes no update for the local copy it loads while nothing is connected, and what only the copy held still reaches the server", async () => {
  const docName = scriptDocName(project.projectId, 'board-reader');
  const localStoreName = `clapper:board-user:${docName}`;
  // The board's page eighths read the script through a provider like this one (use-script-cues.ts).
  const options: CollabProviderOptions = {
    serverUrl: server.url,
    docName,
    token: project.tokens.owner,
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    crossTab: false,
    localStoreName,
  };
  const first = createCollabProvider(options);
  await first.whenSynced();
  const text = first.doc.getText('t');
  for (let i = 0; i < 300; i += 1) text.insert(text.length, `Line ${i} `.padEnd(400, 'x'));
  const whole = Y.encodeStateAsUpdate(first.doc).byteLength;
  await waitFor(
    'the server to store it',
    async () => (await storedDoc(db.pool, project.projectId, docName)).getText('t').length === text.length,
  );
  await new Promise((resolve) => setTimeout(resolve, 300));
  first.destroy();
  // Written offline, into the local copy only.
  const offlineDoc = new Y.Doc();
  const offlineCopy = new IndexeddbPersistence(localStoreName, offlineDoc);
  await offlineCopy.whenSynced;
  offlineDoc.getText('t').insert(offlineDoc.getText('t').length, 'WRITTEN OFFLINE');
  await new Promise((resolve) => setTimeout(resolve, 200));
  await offlineCopy.destroy();
  offlineDoc.destroy();

  // Each update the doc emits is one Yjs encoded for its listeners: count the bytes the load made.
  const doc = new Y.Doc();
  let encodedDuringLoad = 0;
  let loaded = false;
  doc.on('update', (update: Uint8Array) => {
    if (!loaded) encodedDuringLoad += update.byteLength;
  });
  const again = createCollabProvider({ ...options, doc });
  await again.local?.whenSynced;
  loaded = true;
  expect(again.doc.getText('t').toString().endsWith('WRITTEN OFFLINE')).toBe(true);
  expect(whole).toBeGreaterThan(120_000);
  // The whole script was encoded once more for nobody before (~121 KB); nothing now.
  expect(encodedDuringLoad).toBe(0);

  // The text only the copy held reaches the server (by the sync exchange on connecting).
  await again.whenSynced();
  await waitFor('the server to hold the offline text', async () =>
    (await storedDoc(db.pool, project.projectId, docName)).getText('t').toString().endsWith('WRITTEN OFFLINE'),
  );
  // Edits after the load are still encoded (and sent).
  let encodedAfter = 0;
  again.doc.on('update', (update: Uint8Array) => (encodedAfter += update.byteLength));
  again.doc.getText('t').insert(0, 'AND ONLINE ');
  expect(encodedAfter).toBeGreaterThan(0);
  await waitFor('the server to hold the edit', async () =>
    (await storedDoc(db.pool, project.projectId, docName)).getText('t').toString().startsWith('AND ONLINE '),
  );
  again.destroy();
});
