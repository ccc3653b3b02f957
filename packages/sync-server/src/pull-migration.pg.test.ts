import { type TestDatabase, createTestDatabase } from '@clapper/db';
import { schemaVersion, tableNames, tableNamesAt } from '@clapper/schema';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { SyncError, createSyncService } from './index.ts';
import { type ParsingSyncService, changesOf, createProject, newId, parsing, sceneRaw } from './test-project.ts';

let db: TestDatabase;
let sync: ParsingSyncService;

beforeAll(async () => {
  db = await createTestDatabase();
  sync = parsing(createSyncService({ pool: db.pool }));
});
afterAll(async () => {
  await sync?.close();
  await db?.drop();
});

const ids = (records: Array<{ id: string }>) => records.map((r) => r.id).sort();

// What WatermelonDB sends after the local migration from schema 1 to 2 (getSyncChanges).
const fromV1 = {
  from: 1,
  tables: ['people', 'castings', 'breakdown_items', 'call_sheets', 'cast_calls', 'crew_calls'],
  columns: [{ table: 'scenes', columns: ['number_locked'] }],
};

/** A project with schema-2 records (a cast member, a casting, a breakdown item) and a locked scene. */
async function seedV2(projectId: string) {
  return sync.push({
    projectId,
    pushId: newId(),
    lastPulledAt: null,
    changes: changesOf({
      scenes: { created: [sceneRaw('sc1', { number_locked: true }), sceneRaw('sc2')] },
      people: {
        created: [
          {
            id: 'pe1',
            name: 'Ada Lind',
            department: 'Cast',
            role: 'Mara',
            email: '',
            phone: '',
            notes: '',
            cast_number: 1,
          },
        ],
      },
      castings: { created: [{ id: 'ca1', person_id: 'pe1', character: 'MARA' }] },
      breakdown_items: {
        created: [{ id: 'bi1', scene_id: 'sc1', category: 'props', name: 'Red umbrella', notes: '' }],
      },
    }),
  });
}

test('[P9] the schema-2 tables and scenes.number_locked exist and sync; a missing person is BAD_REQUEST', async () => {
  const projectId = await createProject(db.pool);
  await seedV2(projectId);
  const pulled = await sync.pull({ projectId, lastPulledAt: null, schemaVersion });
  expect(Object.keys(pulled.changes).sort()).toEqual([...tableNames].sort());
  expect(pulled.changes.people!.created).toEqual([expect.objectContaining({ id: 'pe1', cast_number: 1 })]);
  expect(pulled.changes.castings!.created).toEqual([expect.objectContaining({ person_id: 'pe1', character: 'MARA' })]);
  expect(pulled.changes.scenes!.created.find((s) => s.id === 'sc1')).toMatchObject({ number_locked: true });
  expect(pulled.changes.scenes!.created.find((s) => s.id === 'sc2')).toMatchObject({ number_locked: false });

  const refused = await sync
    .push({
      projectId,
      pushId: newId(),
      lastPulledAt: null,
      changes: changesOf({ castings: { created: [{ id: 'ca2', person_id: 'nobody', character: 'JO' }] } }),
    })
    .catch((error: unknown) => error);
  expect(refused).toBeInstanceOf(SyncError);
  expect((refused as SyncError).code).toBe('BAD_REQUEST');
  expect((refused as SyncError).message).toMatch(/castings\.person_id of record ca2 names people "nobody"/);
});

test('[P9] a client still on schema 1 pulls and pushes the schema-1 tables and columns only, unbroken', async () => {
  const projectId = await createProject(db.pool);
  const { timestamp: t0 } = await seedV2(projectId);
  const first = await sync.pull({ projectId, lastPulledAt: null, schemaVersion: 1, migration: null });
  expect(Object.keys(first.changes).sort()).toEqual(['day_banners', 'scenes', 'scripts', 'shots']);
  expect(ids(first.changes.scenes!.created)).toEqual(['sc1', 'sc2']);
  for (const scene of first.changes.scenes!.created) expect(Object.keys(scene)).not.toContain('number_locked');

  // Its push names schema-1 columns only: the number lock the AD set survives it.
  const { timestamp: t1 } = await sync.push({
    projectId,
    pushId: newId(),
    lastPulledAt: t0,
    changes: changesOf({ scenes: { updated: [{ ...sceneRaw('sc1', { heading: 'EXT. PIER - DAY' }) }] } }),
  });
  const later = await sync.pull({ projectId, lastPulledAt: t0, schemaVersion: 1, migration: null });
  expect(later.timestamp).toBe(t1);
  expect(Object.keys(later.changes).sort()).toEqual(['day_banners', 'scenes', 'scripts', 'shots']);
  expect(later.changes.scenes!.updated).toEqual([expect.objectContaining({ id: 'sc1', heading: 'EXT. PIER - DAY' })]);
  const current = await sync.pull({ projectId, lastPulledAt: null, schemaVersion });
  expect(current.changes.scenes!.created.find((s) => s.id === 'sc1')).toMatchObject({
    heading: 'EXT. PIER - DAY',
    number_locked: true,
  });
});

test('[P10] a client migrating from schema 1 gets every record of the new tables and every scene in full, once', async () => {
  const projectId = await createProject(db.pool);
  await seedV2(projectId);
  // The client last pulled (on schema 1) after all of that, and a scene was deleted since.
  const { timestamp: lastPulledAt } = await sync.pull({ projectId, lastPulledAt: null, schemaVersion: 1 });
  await sync.push({
    projectId,
    pushId: newId(),
    lastPulledAt,
    changes: changesOf({ scenes: { created: [sceneRaw('sc3')], deleted: ['sc2'] } }),
  });

  const migrating = await sync.pull({ projectId, lastPulledAt, schemaVersion: 2, migration: fromV1 });
  expect(Object.keys(migrating.changes).sort()).toEqual([...tableNamesAt(2)].sort());
  expect(migrating.changes.people).toEqual({
    created: [expect.objectContaining({ id: 'pe1', name: 'Ada Lind' })],
    updated: [],
    deleted: [],
  });
  expect(ids(migrating.changes.castings!.created)).toEqual(['ca1']);
  expect(ids(migrating.changes.breakdown_items!.created)).toEqual(['bi1']);
  expect(migrating.changes.scenes!.created).toEqual([]);
  expect(ids(migrating.changes.scenes!.updated)).toEqual(['sc1', 'sc3']);
  expect(migrating.changes.scenes!.updated.find((s) => s.id === 'sc1')).toMatchObject({ number_locked: true });
  expect(migrating.changes.scenes!.deleted).toEqual(['sc2']);
  // Tables the migration did not touch are incremental as always.
  expect(migrating.changes.shots).toEqual({ created: [], updated: [], deleted: [] });

  const next = await sync.pull({ projectId, lastPulledAt: migrating.timestamp, schemaVersion: 2, migration: null });
  for (const table of tableNamesAt(2)) expect(next.changes[table]).toEqual({ created: [], updated: [], deleted: [] });
});

test('[P10] the server knows what schema 2 added: a migration naming fewer tables still gets them all', async () => {
  const projectId = await createProject(db.pool);
  const { timestamp } = await seedV2(projectId);
  const pulled = await sync.pull({
    projectId,
    lastPulledAt: timestamp,
    schemaVersion: 2,
    migration: { from: 1, tables: [], columns: [] },
  });
  expect(ids(pulled.changes.people!.created)).toEqual(['pe1']);
  expect(ids(pulled.changes.scenes!.updated)).toEqual(['sc1', 'sc2']);
});

test('[P11] a schema version or migration the server does not know is BAD_REQUEST naming it', async () => {
  const projectId = await createProject(db.pool);
  const bad = async (request: Record<string, unknown>) => {
    const error = await sync.pull({ projectId, lastPulledAt: 5, ...request }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SyncError);
    expect((error as SyncError).code).toBe('BAD_REQUEST');
    return (error as SyncError).message;
  };
  expect(await bad({ schemaVersion: schemaVersion + 1 })).toMatch(
    new RegExp(`schemaVersion: must be at most ${schemaVersion}`),
  );
  expect(await bad({ schemaVersion: 0 })).toMatch(/schemaVersion: must be at least 1/);
  expect(await bad({ schemaVersion: 2, migration: { from: 2, tables: [], columns: [] } })).toMatch(
    /migration.from \(2\) must be below schemaVersion \(2\)/,
  );
  expect(await bad({ schemaVersion: 2, migration: { from: 1, tables: ['robots'], columns: [] } })).toMatch(
    /migration.tables\[0\] names "robots"/,
  );
  expect(
    await bad({ schemaVersion: 2, migration: { from: 1, tables: [], columns: [{ table: 'scenes', columns: ['x'] }] } }),
  ).toMatch(/migration.columns\[0\] names scenes.x/);
  expect(await bad({ schemaVersion: 2, migration: 'yes' })).toMatch(/migration/);
});
