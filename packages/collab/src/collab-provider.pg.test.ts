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
