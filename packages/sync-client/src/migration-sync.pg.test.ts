import { type TestServer, startTestServer } from '@clapper/api';
import { Database, Q } from '@nozbe/watermelondb';
import LokiJSAdapter from '@nozbe/watermelondb/adapters/lokijs';
import { schemaMigrations } from '@nozbe/watermelondb/Schema/migrations';
import {
  type RecordOf,
  type TableName,
  modelClasses,
  schemaVersion,
  tableNamesAt,
  watermelonMigrations,
  watermelonSchemaAt,
} from '@clapper/schema';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Device, createDevice, createShot, serverRecord, settled, waitFor } from './testing/devices.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

function pullInputs(urls: string[]): unknown[] {
  return urls
    .filter((url) => url.includes('sync.pull'))
    .map((url) => JSON.parse(new URL(url).searchParams.get('input') ?? 'null'));
}

test('[C12] a first pull sends the schema version and no migration; pushes carry WatermelonDB raws', async () => {
  const owner = await server.signIn('migration-first@example.com');
  const project = await server.createProject(owner.token, 'First');
  const urls: string[] = [];
  const pushes: {
    pushId: string;
    lastPulledAt: number;
    changes: Record<string, { created: Record<string, unknown>[]; updated: unknown[] }>;
  }[] = [];
  const device = createDevice('fresh', {
    server,
    projectId: project.id,
    token: owner.token,
    hook: (url, init, real) => {
      urls.push(url);
      if (url.includes('sync.push') && typeof init?.body === 'string') pushes.push(JSON.parse(init.body));
      return real(url, init);
    },
  });
  await settled(device);
  expect(pullInputs(urls)[0]).toEqual({ projectId: project.id, lastPulledAt: null, schemaVersion, migration: null });
  expect(await device.database.adapter.getLocal('__watermelon_last_pulled_schema_version')).toBe(String(schemaVersion));

  const shotId = await createShot(device, { label: '7A' });
  await waitFor(() => pushes.length === 1, 5000, 'a push');
  const push = pushes[0]!;
  expect(typeof push.pushId).toBe('string');
  expect(push.lastPulledAt).toBeGreaterThan(0);
  expect(push.changes.shots?.created).toEqual([
    expect.objectContaining({ id: shotId, label: '7A', _status: 'created', _changed: '' }),
  ]);
  expect(push.changes.shots?.updated).toEqual([]);
  await device.engine.stop();
});

/**
 * The laptop as the schema-1 app left it: its WatermelonDB on schema 1 (with the empty
 * migrations that release shipped). Its Loki store stands for the browser's IndexedDB:
 * closing the adapter saves it, as a page unload does, and the upgraded app opens it.
 */
function schemaOneDevice(
  name: string,
  projectId: string,
  token: string,
  urls: string[],
): { device: Device; adapter: LokiJSAdapter } {
  const adapter = new LokiJSAdapter({
    schema: watermelonSchemaAt(1),
    migrations: schemaMigrations({ migrations: [] }),
    useWebWorker: false,
    useIncrementalIndexedDB: false,
    extraLokiOptions: { autosave: true, autosaveInterval: 3_600_000 },
  });
  const v1Tables: string[] = tableNamesAt(1);
  const database = new Database({ adapter, modelClasses: modelClasses.filter((m) => v1Tables.includes(m.table)) });
  return { device: createDevice(name, { server, projectId, token, database, hook: recordUrls(urls) }), adapter };
}

function recordUrls(urls: string[]) {
  return (url: string, init: RequestInit | undefined, real: typeof fetch) => {
    urls.push(url);
    return real(url, init);
  };
}

async function rows(database: Database, table: TableName): Promise<Record<string, unknown>[]> {
  const records = await database.get(table).query().fetch();
  return records.map((record) => ({ ...(record._raw as unknown as Record<string, unknown>) }));
}

async function pullAll(token: string, projectId: string, table: TableName): Promise<Record<string, unknown>[]> {
  const response = (await server
    .trpc(token)
    .query('sync.pull', { projectId, lastPulledAt: null, schemaVersion, migration: null })) as {
    changes: Record<string, { created: Record<string, unknown>[] }>;
  };
  return response.changes[table]!.created;
}

test('[C18] a schema-1 database holding unsynced edits upgrades to schema 2 and syncs: nothing lost, nothing duplicated, the new tables arrive', async () => {
  const owner = await server.signIn('migration-v1-laptop@example.com');
  const project = await server.createProject(owner.token, 'Upgrade');
  const urls: string[] = [];

  // The laptop runs the schema-1 app and has the scenes and shots.
  const { device: laptop, adapter: laptopStore } = schemaOneDevice('laptop v1', project.id, owner.token, urls);
  const shotId = await createShot(laptop, { label: '1A' });
  await settled(laptop);
  const [scene] = await rows(laptop.database, 'scenes');
  const sceneId = scene!.id as string;

  // Meanwhile the office (schema 2) adds the cast and a prop, and locks the scene numbers.
  const office = createDevice('office v2', { server, projectId: project.id, token: owner.token });
  await settled(office);
  await office.database.write(async () => {
    const [officeScene] = await office.database.get<RecordOf<'scenes'>>('scenes').query().fetch();
    await officeScene!.update((record) => {
      record.numberLocked = true;
    });
    const person = await office.database.get<RecordOf<'people'>>('people').create((record) => {
      Object.assign(record, { name: 'Ada Lind', department: 'Cast', role: 'Mara', email: '', phone: '', notes: '' });
      record.castNumber = 1;
    });
    await office.database.get<RecordOf<'castings'>>('castings').create((record) => {
      record.personId = person.id;
      record.character = 'MARA';
    });
    await office.database.get<RecordOf<'breakdown_items'>>('breakdown_items').create((record) => {
      Object.assign(record, { sceneId: officeScene!.id, category: 'props', name: 'Red umbrella', notes: '' });
    });
  });
  await settled(office);

  // The schema-1 laptop still syncs (it is sent the schema-1 tables only), then goes
  // offline and edits: a scene's synopsis, a new shot, a deleted shot.
  await laptop.engine.syncNow();
  await settled(laptop);
  const v1Pulls = pullInputs(urls) as { schemaVersion: number }[];
  expect(v1Pulls.every((input) => input.schemaVersion === 1)).toBe(true);
  await laptop.engine.stop();
  let newShotId = '';
  await laptop.database.write(async () => {
    const laptopScene = await laptop.database.get<RecordOf<'scenes'>>('scenes').find(sceneId);
    await laptopScene.update((record) => {
      record.synopsis = 'Mara waits in the rain';
    });
    const created = await laptop.database.get<RecordOf<'shots'>>('shots').create((record) => {
      Object.assign(record, {
        sceneId,
        sortKey: 'a5',
        label: '1B',
        size: 'CU',
        movement: '',
        lens: '',
        description: '',
      });
      record.durationS = null;
      record.done = false;
    });
    newShotId = created.id;
    const old = await laptop.database.get<RecordOf<'shots'>>('shots').find(shotId);
    await old.markAsDeleted();
  });

  // The app updates: the same store opens on schema 2 and WatermelonDB migrates it.
  const upgradedAdapter = await laptopStore.testClone({
    schema: watermelonSchemaAt(schemaVersion),
    migrations: watermelonMigrations,
    extraLokiOptions: { autosave: false },
  });
  const upgraded = new Database({ adapter: upgradedAdapter, modelClasses });
  expect(upgraded.schema.version).toBe(2);
  const pendingScene = (await rows(upgraded, 'scenes'))[0]!;
  expect(pendingScene).toMatchObject({ id: sceneId, synopsis: 'Mara waits in the rain', _status: 'updated' });
  expect(pendingScene._changed).toContain('synopsis');
  expect(pendingScene).toMatchObject({ number_locked: false }); // the migration's default until the pull
  expect(await upgraded.get('shots').query(Q.where('id', newShotId)).fetchCount()).toBe(1);
  expect(await upgraded.adapter.getDeletedRecords('shots')).toEqual([shotId]);
  expect(await rows(upgraded, 'people')).toEqual([]);

  urls.length = 0;
  const laptop2 = createDevice('laptop v2', {
    server,
    projectId: project.id,
    token: owner.token,
    database: upgraded,
    hook: recordUrls(urls),
  });
  await settled(laptop2);

  // The migration pull: WatermelonDB names what schema 2 added.
  expect(pullInputs(urls)[0]).toMatchObject({
    schemaVersion: 2,
    migration: {
      from: 1,
      tables: ['people', 'castings', 'breakdown_items', 'call_sheets', 'cast_calls', 'crew_calls'],
      columns: [{ table: 'scenes', columns: ['number_locked'] }],
    },
  });
  expect(await upgraded.adapter.getLocal('__watermelon_last_pulled_schema_version')).toBe('2');

  // Nothing lost: the offline edits reached the server, beside the office's lock.
  expect(await serverRecord(server, owner.token, project.id, 'scenes', sceneId)).toMatchObject({
    synopsis: 'Mara waits in the rain',
    number_locked: true,
  });
  expect(await serverRecord(server, owner.token, project.id, 'shots', newShotId)).toMatchObject({ label: '1B' });
  expect(await serverRecord(server, owner.token, project.id, 'shots', shotId)).toBeNull();
  // The new tables' records arrived, and the scene in full.
  expect(await rows(upgraded, 'people')).toEqual([expect.objectContaining({ name: 'Ada Lind', cast_number: 1 })]);
  expect(await rows(upgraded, 'castings')).toEqual([expect.objectContaining({ character: 'MARA' })]);
  expect(await rows(upgraded, 'breakdown_items')).toEqual([expect.objectContaining({ name: 'Red umbrella' })]);
  expect((await rows(upgraded, 'scenes'))[0]).toMatchObject({
    synopsis: 'Mara waits in the rain',
    number_locked: true,
    _status: 'synced',
  });
  // Nothing duplicated: the laptop holds exactly the server's records.
  for (const table of tableNamesAt(schemaVersion)) {
    const local = (await rows(upgraded, table)).map((r) => r.id).sort();
    const remote = (await pullAll(owner.token, project.id, table)).map((r) => r.id).sort();
    expect(local, table).toEqual(remote);
  }
  // The office sees the laptop's edits.
  await waitFor(
    async () => (await rows(office.database, 'scenes'))[0]?.synopsis === 'Mara waits in the rain',
    10_000,
    'the office pulled the synopsis',
  );
  await laptop2.engine.stop();
  await office.engine.stop();
});
