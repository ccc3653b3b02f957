import { type TestServer, startTestServer } from '@clapper/api';
import { Database, appSchema, tableSchema } from '@nozbe/watermelondb';
import LokiJSAdapter from '@nozbe/watermelondb/adapters/lokijs';
import { addColumns, schemaMigrations } from '@nozbe/watermelondb/Schema/migrations';
import { modelClasses, watermelonSchema } from '@clapper/schema';
import { afterAll, beforeAll, expect, test } from 'vitest';
import WebSocket from 'ws';
import { createSyncEngine } from './sync-engine.ts';
import { createDevice, createShot, settled, trafficFetch, waitFor } from './testing/devices.ts';

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
  expect(pullInputs(urls)[0]).toEqual({ projectId: project.id, lastPulledAt: null, schemaVersion: 1, migration: null });
  expect(await device.database.adapter.getLocal('__watermelon_last_pulled_schema_version')).toBe('1');

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

test('[C12] after a schema upgrade the pull carries WatermelonDB’s migration info, once', async () => {
  const owner = await server.signIn('migration-upgrade@example.com');
  const project = await server.createProject(owner.token, 'Upgrade');
  // The app as it would be after a future release adds shots.color (schema 2).
  const upgradedSchema = appSchema({
    version: 2,
    tables: Object.values(watermelonSchema.tables).map((table) =>
      tableSchema({
        name: table.name,
        columns: [
          ...table.columnArray.filter((column) => !['_status', '_changed', 'id'].includes(column.name)),
          ...(table.name === 'shots' ? [{ name: 'color', type: 'string' as const, isOptional: true }] : []),
        ],
      }),
    ),
  });
  const migrations = schemaMigrations({
    migrations: [
      {
        toVersion: 2,
        steps: [addColumns({ table: 'shots', columns: [{ name: 'color', type: 'string', isOptional: true }] })],
      },
    ],
  });
  const adapter = new LokiJSAdapter({
    schema: upgradedSchema,
    migrations,
    useWebWorker: false,
    useIncrementalIndexedDB: false,
    extraLokiOptions: { autosave: false },
  });
  const database = new Database({ adapter, modelClasses });
  // This device last synced under schema 1.
  await database.adapter.setLocal('__watermelon_last_pulled_at', String(Date.now() - 60_000));
  await database.adapter.setLocal('__watermelon_last_pulled_schema_version', '1');

  const urls: string[] = [];
  const traffic = { pulls: 0, pushes: 0, pushIds: [] as string[] };
  const engine = createSyncEngine({
    database,
    projectId: project.id,
    serverUrl: server.url,
    getToken: () => owner.token,
    webSocket: WebSocket,
    debounceMs: 10,
    fetch: trafficFetch(traffic, (url, init, real) => {
      urls.push(url);
      return real(url, init);
    }),
  });
  const device = { name: 'upgraded', database, engine, traffic };
  await settled(device);
  await engine.syncNow();
  await waitFor(() => pullInputs(urls).length >= 2, 5000, 'two pulls');
  const [first, second] = pullInputs(urls) as [Record<string, unknown>, Record<string, unknown>];
  expect(first).toMatchObject({
    projectId: project.id,
    schemaVersion: 2,
    migration: { from: 1, tables: [], columns: [{ table: 'shots', columns: ['color'] }] },
  });
  expect(second).toMatchObject({ schemaVersion: 2, migration: null });
  expect(await database.adapter.getLocal('__watermelon_last_pulled_schema_version')).toBe('2');
  await engine.stop();
});
