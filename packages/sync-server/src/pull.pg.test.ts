import { type TestDatabase, createTestDatabase } from '@clapper/db';
import { createRecordingLogger } from '@clapper/log';
import { tableNames } from '@clapper/schema';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { SyncError, type SyncLogEntry, createSyncService } from './index.ts';
import {
  type ParsingSyncService,
  changesOf,
  createProject,
  newId,
  parsing,
  sceneRaw,
  shotRaw,
} from './test-project.ts';

let db: TestDatabase;
let sync: ParsingSyncService;
// The service's debug lines (`sync pull`, `sync push-batch`, …) carry a SyncLogEntry's fields.
const recording = createRecordingLogger();
const syncLog = () => recording.lines.filter((l) => l.msg.startsWith('sync ')) as unknown as SyncLogEntry[];

beforeAll(async () => {
  db = await createTestDatabase();
  sync = parsing(createSyncService({ pool: db.pool, logger: recording.logger }));
});
afterAll(async () => {
  await sync?.close();
  await db?.drop();
});

async function seed(projectId: string) {
  return sync.push({
    projectId,
    pushId: newId(),
    lastPulledAt: null,
    changes: changesOf({
      scenes: { created: [sceneRaw('sc1'), sceneRaw('sc2')] },
      shots: { created: [shotRaw('sh1', 'sc1'), shotRaw('sh2', 'sc2')] },
    }),
  });
}

const ids = (records: Array<{ id: string }>) => records.map((r) => r.id).sort();

test('[P1][P5] a first pull returns every live record in created, never deleted ones', async () => {
  const projectId = await createProject(db.pool);
  await seed(projectId);
  const del = await sync.push({
    projectId,
    pushId: newId(),
    lastPulledAt: null,
    changes: changesOf({ shots: { deleted: ['sh2'] } }),
  });
  const pulled = await sync.pull({ projectId, lastPulledAt: null });
  expect(pulled.timestamp).toBe(del.timestamp);
  expect(Object.keys(pulled.changes).sort()).toEqual([...tableNames].sort());
  expect(ids(pulled.changes.scenes!.created)).toEqual(['sc1', 'sc2']);
  expect(ids(pulled.changes.shots!.created)).toEqual(['sh1']);
  for (const table of tableNames) {
    expect(pulled.changes[table]!.updated).toEqual([]);
    expect(pulled.changes[table]!.deleted).toEqual([]);
  }
  expect(pulled.changes.scripts).toEqual({ created: [], updated: [], deleted: [] });
});

test('[P1] a first pull of an empty project lists every table empty at clock 0', async () => {
  const projectId = await createProject(db.pool);
  const pulled = await sync.pull({ projectId, lastPulledAt: null });
  expect(pulled).toEqual({
    timestamp: 0,
    changes: Object.fromEntries(tableNames.map((t) => [t, { created: [], updated: [], deleted: [] }])),
  });
});

test('[P2][P5] a later pull returns only what changed after lastPulledAt, with deleted ids', async () => {
  const projectId = await createProject(db.pool);
  await seed(projectId);
  const { timestamp: t0 } = await sync.pull({ projectId, lastPulledAt: null });
  await sync.push({
    projectId,
    pushId: newId(),
    lastPulledAt: t0,
    changes: changesOf({
      scenes: { created: [sceneRaw('sc3')], updated: [{ id: 'sc1', heading: 'EXT. PIER', _changed: 'heading' }] },
      shots: { deleted: ['sh2'] },
    }),
  });
  const pulled = await sync.pull({ projectId, lastPulledAt: t0 });
  expect(pulled.timestamp).toBeGreaterThan(t0);
  expect(pulled.changes.scenes!.created).toEqual([]);
  expect(ids(pulled.changes.scenes!.updated)).toEqual(['sc1', 'sc3']);
  expect(pulled.changes.scenes!.updated.find((s) => s.id === 'sc1')).toMatchObject({ heading: 'EXT. PIER' });
  expect(pulled.changes.shots).toEqual({ created: [], updated: [], deleted: ['sh2'] });
  expect(pulled.changes.day_banners).toEqual({ created: [], updated: [], deleted: [] });

  const nothingNew = await sync.pull({ projectId, lastPulledAt: pulled.timestamp });
  expect(nothingNew.timestamp).toBe(pulled.timestamp);
  for (const table of tableNames) expect(nothingNew.changes[table]).toEqual({ created: [], updated: [], deleted: [] });
});

test('[P4] pulled raws carry id, columns, project_id, created_at, updated_at with JSON types; never deleted_at', async () => {
  const projectId = await createProject(db.pool);
  const { timestamp } = await sync.push({
    projectId,
    pushId: newId(),
    lastPulledAt: null,
    changes: changesOf({
      scenes: { created: [sceneRaw('sc1', { page_eighths: null })] },
      shots: { created: [shotRaw('sh1', 'sc1', { duration_s: 2.25, done: true, _status: 'created', _changed: '' })] },
      day_banners: { created: [{ id: 'd1', sort_key: 'a1', date: '2026-12-01', label: 'Day 1', scene_id: null }] },
    }),
  });
  const { changes } = await sync.pull({ projectId, lastPulledAt: null });
  expect(changes.shots!.created).toEqual([
    {
      id: 'sh1',
      scene_id: 'sc1',
      sort_key: 'a0',
      label: '1A',
      size: 'WIDE',
      movement: 'STATIC',
      lens: '35mm',
      description: '',
      duration_s: 2.25,
      done: true,
      project_id: projectId,
      created_at: timestamp,
      updated_at: timestamp,
    },
  ]);
  expect(changes.scenes!.created[0]).toMatchObject({ page_eighths: null });
  expect(changes.day_banners!.created[0]).toEqual({
    id: 'd1',
    scene_id: null,
    sort_key: 'a1',
    date: '2026-12-01',
    label: 'Day 1',
    project_id: projectId,
    created_at: timestamp,
    updated_at: timestamp,
  });
  await sync.push({
    projectId,
    pushId: newId(),
    lastPulledAt: null,
    changes: changesOf({ shots: { updated: [{ id: 'sh1', label: '1B', _changed: 'label' }] } }),
  });
  const later = await sync.pull({ projectId, lastPulledAt: timestamp });
  const raw = later.changes.shots!.updated[0]!;
  expect(Object.keys(raw)).not.toContain('deleted_at');
  expect(Object.keys(raw)).not.toContain('_status');
  expect(Object.keys(raw)).not.toContain('_changed');
  expect(raw).toMatchObject({ label: '1B', done: true, duration_s: 2.25, created_at: timestamp });
});

test('[P6] a pull returns only its project, though another project reuses the same ids', async () => {
  const mine = await createProject(db.pool);
  const theirs = await createProject(db.pool);
  await seed(mine);
  await sync.push({
    projectId: theirs,
    pushId: newId(),
    lastPulledAt: null,
    changes: changesOf({ scenes: { created: [sceneRaw('sc1', { heading: 'SECRET SET' })], deleted: ['sc2'] } }),
  });
  const first = await sync.pull({ projectId: mine, lastPulledAt: null });
  expect(first.changes.scenes!.created.map((s) => s.heading)).not.toContain('SECRET SET');
  expect(first.changes.scenes!.created.every((s) => s.project_id === mine)).toBe(true);
  const later = await sync.pull({ projectId: mine, lastPulledAt: 0 });
  expect(later.changes.scenes!.deleted).toEqual([]);
  expect(later.changes.scenes!.updated.map((s) => s.heading)).not.toContain('SECRET SET');
});

test('[P7] 50 identical pulls after one nudge are computed once and answered alike', async () => {
  const projectId = await createProject(db.pool);
  const { timestamp: t0 } = await seed(projectId);
  const { timestamp } = await sync.push({
    projectId,
    pushId: newId(),
    lastPulledAt: null,
    changes: changesOf({ scenes: { updated: [{ id: 'sc2', synopsis: 'nudge' }] } }),
  });
  recording.lines.length = 0;
  const results = await Promise.all(Array.from({ length: 50 }, () => sync.pull({ projectId, lastPulledAt: t0 })));
  for (const r of results) expect(r).toEqual(results[0]);
  expect(results[0]!.timestamp).toBe(timestamp);
  expect(results[0]!.changes.scenes!.updated.map((s) => s.synopsis)).toEqual(['nudge']);
  const pulls = syncLog().filter((e) => e.event === 'pull');
  expect(pulls).toHaveLength(50);
  expect(pulls.filter((e) => !e.shared)).toHaveLength(1);
});

test('[P7] a pull that arrives after the clock moved is computed afresh', async () => {
  const projectId = await createProject(db.pool);
  const { timestamp: t0 } = await seed(projectId);
  const before = await sync.pull({ projectId, lastPulledAt: t0 });
  expect(before.changes.scenes!.updated).toEqual([]);
  const { timestamp } = await sync.push({
    projectId,
    pushId: newId(),
    lastPulledAt: null,
    changes: changesOf({ scenes: { updated: [{ id: 'sc1', synopsis: 'moved' }] } }),
  });
  const after = await sync.pull({ projectId, lastPulledAt: t0 });
  expect(after.timestamp).toBe(timestamp);
  expect(after.changes.scenes!.updated.map((s) => s.synopsis)).toEqual(['moved']);
});

test('[P8] an unknown project is NOT_FOUND; a malformed lastPulledAt is BAD_REQUEST', async () => {
  const projectId = await createProject(db.pool);
  await expect(sync.pull({ projectId: 'no-such-project', lastPulledAt: null })).rejects.toMatchObject({
    code: 'NOT_FOUND',
  });
  for (const lastPulledAt of [-1, 1.5, Number.NaN, '12' as unknown as number]) {
    const error = await sync.pull({ projectId, lastPulledAt }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SyncError);
    expect(error).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('lastPulledAt') });
  }
});
