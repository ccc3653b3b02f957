// The call sheet's writes through the real sync engine and server: two devices that have
// never seen a sheet or an actor's call fill in different fields of them while offline,
// then sync, their pushes crossing. Both keep everything, in one record each
// (packages/domain/SPEC.md CS5).
import { type TestServer, startTestServer } from '@clapper/api';
import { type SyncEngine, createProjectDatabase, createSyncEngine } from '@clapper/sync-client';
import type { Database } from '@nozbe/watermelondb';
import logger from '@nozbe/watermelondb/utils/common/logger';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { WebSocket } from 'ws';
import { createRecord } from '../shotlist/stripboard-actions.ts';
import { castCallIdOf, saveCallSheet, saveCastCall, saveCrewCall, crewCallIdOf } from './call-sheet-actions.ts';

// WatermelonDB reports every record an incremental pull creates; not news here.
logger.silence();

let server: TestServer;
const engines: SyncEngine[] = [];

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  for (const engine of engines) await engine.stop();
  await server?.close();
});

function device(
  projectId: string,
  token: string,
  fetchImpl: typeof fetch = (input, init) => fetch(input, init),
): { database: Database; engine: SyncEngine } {
  const database = createProjectDatabase({ projectId });
  const engine = createSyncEngine({
    database,
    projectId,
    serverUrl: server.url,
    getToken: () => token,
    webSocket: WebSocket,
    debounceMs: 10,
    fetch: fetchImpl,
    // The test holds pushes on the wire through fetch: they must go over HTTP (C23).
    pushOverSocket: false,
  });
  engines.push(engine);
  return { database, engine };
}

async function raws(database: Database, table: string): Promise<Record<string, unknown>[]> {
  const records = await database.get(table).query().fetch();
  return records.map((record) => ({ ...(record._raw as unknown as Record<string, unknown>) }));
}

test('[CS5] two devices fill in different fields of a sheet and of one actor’s call offline, each its first write: after syncing both have every field, in one record', async () => {
  const owner = await server.signIn('ad@call-sheet.test');
  const second = await server.signIn('second-ad@call-sheet.test');
  const { id: projectId } = await server.createProject(owner.token, 'Call sheets');
  await server.addMember(owner.token, projectId, 'second-ad@call-sheet.test', 'editor');
  // B's pushes can be held on the wire, so both devices push before either pulls the other's.
  let hold: { held: () => void; release: Promise<void> } | null = null;
  const b = device(projectId, second.token, async (input, init) => {
    if (hold && String(input instanceof Request ? input.url : input).includes('sync.push')) {
      hold.held();
      await hold.release;
    }
    return fetch(input, init);
  });
  const a = device(projectId, owner.token);

  // A day break and the cast & crew, synced to both.
  const bannerId = await createRecord(a.database, 'day_banners', { sceneId: null, sortKey: 'a0', date: '', label: '' });
  const ana = await createRecord(a.database, 'people', {
    name: 'Ana Lima',
    department: 'Cast',
    role: 'Maya',
    email: '',
    phone: '',
    notes: '',
    castNumber: 1,
  });
  const eve = await createRecord(a.database, 'people', {
    name: 'Eve Grant',
    department: 'Camera',
    role: 'DP',
    email: '',
    phone: '',
    notes: '',
    castNumber: null,
  });
  await a.engine.syncNow();
  await b.engine.syncNow();
  expect((await raws(b.database, 'people')).length).toBe(2);

  // Both offline: neither has the sheet or the calls yet.
  await a.engine.stop();
  await b.engine.stop();
  await saveCallSheet(a.database, bannerId, { crewCall: '06:30' });
  await saveCastCall(a.database, bannerId, ana, castCallIdOf(bannerId, ana), { pickup: '05:45' });
  await saveCrewCall(a.database, bannerId, eve, crewCallIdOf(bannerId, eve), { call: '05:30' });
  await saveCallSheet(b.database, bannerId, { locations: 'Old Lighthouse\n1 Cliff Road' });
  await saveCastCall(b.database, bannerId, ana, castCallIdOf(bannerId, ana), { makeup: '06:00', notes: 'wig' });
  await saveCrewCall(b.database, bannerId, eve, crewCallIdOf(bannerId, eve), { notes: 'steadicam' });

  // Back online at once: B pulls (nothing new) and its push waits on the wire while A
  // pulls and pushes; then B's push lands on records A has just made.
  let release = (): void => undefined;
  const held = new Promise<void>((resolve) => {
    hold = { held: resolve, release: new Promise<void>((go) => (release = go)) };
  });
  b.engine.start();
  const bSync = b.engine.syncNow();
  await held;
  a.engine.start();
  await a.engine.syncNow();
  hold = null;
  release();
  await bSync;
  await a.engine.syncNow();
  await b.engine.syncNow();

  for (const { database } of [a, b]) {
    const sheets = await raws(database, 'call_sheets');
    expect(sheets).toEqual([
      expect.objectContaining({
        id: bannerId,
        day_banner_id: bannerId,
        crew_call: '06:30',
        locations: 'Old Lighthouse\n1 Cliff Road',
      }),
    ]);
    expect(await raws(database, 'cast_calls')).toEqual([
      expect.objectContaining({
        id: castCallIdOf(bannerId, ana),
        call_sheet_id: bannerId,
        person_id: ana,
        pickup: '05:45',
        makeup: '06:00',
        notes: 'wig',
        on_set: '',
      }),
    ]);
    expect(await raws(database, 'crew_calls')).toEqual([
      expect.objectContaining({ person_id: eve, call: '05:30', notes: 'steadicam' }),
    ]);
  }
});
