import { type Pool, type TestDatabase, createPool, createTestDatabase } from '@clapper/db';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type SyncLogEntry, type SyncService, createSyncService } from './index.ts';
import { changesOf, createProject, deferred, newId, sceneRaw, shotRaw, waitFor } from './test-project.ts';

/**
 * Two service instances on separate pools stand for two server processes: only the
 * PostgreSQL row lock orders them. `hold` keeps a chosen push's transaction open
 * right after it stamped.
 */
let db: TestDatabase;
let secondPool: Pool;
let one: SyncService;
let two: SyncService;
const logs: SyncLogEntry[] = [];
const holds = new Map<string, Promise<void>>();
const stamped = new Map<string, number>();

function hooks() {
  return {
    afterStamp: async (projectId: string, timestamp: number) => {
      stamped.set(projectId, timestamp);
      await holds.get(projectId);
    },
  };
}

/** Holds the next push transaction to `projectId` open after stamping until `release()`. */
function holdNextPush(projectId: string) {
  const gate = deferred();
  holds.set(projectId, gate.promise);
  stamped.delete(projectId);
  return {
    stamped: () => waitFor(() => stamped.has(projectId)).then(() => stamped.get(projectId)!),
    release: () => {
      holds.delete(projectId);
      gate.resolve();
    },
  };
}

async function waitersOnLocks(): Promise<number> {
  const r = await db.pool.query(
    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
  );
  return r.rows[0].n;
}

beforeAll(async () => {
  db = await createTestDatabase();
  secondPool = createPool(db.url, 10);
  one = createSyncService({ pool: db.pool, hooks: hooks(), log: (e) => logs.push(e) });
  two = createSyncService({ pool: secondPool, hooks: hooks() });
});
afterAll(async () => {
  await one?.close();
  await two?.close();
  await secondPool?.end();
  await db?.drop();
});

const scene = (projectId: string, id: string, columns: Record<string, unknown> = {}) => ({
  projectId,
  pushId: newId(),
  lastPulledAt: null,
  changes: changesOf({ scenes: { created: [sceneRaw(id, columns)] } }),
});

test('[P3][U6][K1] overlap: a pull between a stamped push and its commit misses nothing, and a waiting push stamps higher', async () => {
  const projectId = await createProject(db.pool);
  await one.push(scene(projectId, 'base'));
  const held = holdNextPush(projectId);
  const pushA = one.push(scene(projectId, 'from-A'));
  const stampA = await held.stamped();
  // B runs on the other instance, so nothing in-process orders it: it waits on the project row lock.
  const pushB = two.push(scene(projectId, 'from-B'));
  await waitFor(async () => (await waitersOnLocks()) >= 1);
  const between = await one.pull({ projectId, lastPulledAt: null });
  expect(between.timestamp).toBeLessThan(stampA);
  expect(between.changes.scenes!.created.map((s) => s.id)).toEqual(['base']);
  held.release();
  const [a, b] = await Promise.all([pushA, pushB]);
  expect(a.timestamp).toBe(stampA);
  expect(b.timestamp).toBeGreaterThan(a.timestamp);
  const next = await two.pull({ projectId, lastPulledAt: between.timestamp });
  expect(next.changes.scenes!.updated.map((s) => s.id).sort()).toEqual(['from-A', 'from-B']);
  expect(next.timestamp).toBe(b.timestamp);
});

test('[P3][U10] overlap on one instance: a push queued behind a held one commits after it with a higher stamp', async () => {
  const projectId = await createProject(db.pool);
  const held = holdNextPush(projectId);
  const pushA = one.push(scene(projectId, 'from-A'));
  const stampA = await held.stamped();
  const pushB = one.push(scene(projectId, 'from-B'));
  const between = await one.pull({ projectId, lastPulledAt: null });
  expect(between.changes.scenes!.created).toEqual([]);
  held.release();
  const [a, b] = await Promise.all([pushA, pushB]);
  expect(a.timestamp).toBe(stampA);
  expect(b.timestamp).toBeGreaterThan(a.timestamp);
  const next = await one.pull({ projectId, lastPulledAt: between.timestamp });
  expect(next.changes.scenes!.updated.map((s) => s.id).sort()).toEqual(['from-A', 'from-B']);
});

test('[U4] a retried push reaching another instance while the first is in flight is applied once', async () => {
  const projectId = await createProject(db.pool);
  const push = scene(projectId, 'sc1');
  const held = holdNextPush(projectId);
  const first = one.push(push);
  await held.stamped();
  const retry = two.push(push);
  await waitFor(async () => (await waitersOnLocks()) >= 1);
  held.release();
  const [a, b] = await Promise.all([first, retry]);
  expect(b).toEqual(a);
  const applied = await db.pool.query('SELECT push_id, timestamp FROM applied_pushes WHERE project_id = $1', [projectId]);
  expect(applied.rows).toEqual([{ push_id: push.pushId, timestamp: a.timestamp }]);
  // The retry's transaction gave its clock bump back.
  const clock = await db.pool.query('SELECT clock FROM projects WHERE id = $1', [projectId]);
  expect(clock.rows[0].clock).toBe(a.timestamp);
});

test.each(['update first', 'delete first'])('[U5] delete beats a concurrent update (%s)', async (order) => {
  const projectId = await createProject(db.pool);
  await one.push({ projectId, pushId: newId(), lastPulledAt: null, changes: changesOf({ scenes: { created: [sceneRaw('sc1')] }, shots: { created: [shotRaw('sh1', 'sc1')] } }) });
  const update = { projectId, pushId: newId(), lastPulledAt: null, changes: changesOf({ shots: { updated: [{ id: 'sh1', label: 'EDITED', _changed: 'label' }] } }) };
  const remove = { projectId, pushId: newId(), lastPulledAt: null, changes: changesOf({ shots: { deleted: ['sh1'] } }) };
  const [firstPush, secondPush] = order === 'update first' ? [update, remove] : [remove, update];
  const held = holdNextPush(projectId);
  const first = one.push(firstPush);
  await held.stamped();
  const second = two.push(secondPush);
  await waitFor(async () => (await waitersOnLocks()) >= 1);
  held.release();
  const [a, b] = await Promise.all([first, second]);
  const deletedAt = (order === 'update first' ? b : a).timestamp;
  const pulled = await two.pull({ projectId, lastPulledAt: null });
  expect(pulled.changes.shots!.created).toEqual([]);
  const row = await db.pool.query('SELECT label, deleted_at, updated_at FROM shots WHERE project_id = $1', [projectId]);
  // Delete first: the late update must not touch the deleted row at all.
  expect(row.rows[0]).toEqual({ label: order === 'update first' ? 'EDITED' : '1A', deleted_at: deletedAt, updated_at: deletedAt });
});

test('[U10][U6] 200 concurrent pushes are group-committed: each acked once, all rows present, stamps monotone', async () => {
  const projectId = await createProject(db.pool);
  logs.length = 0;
  const pushes = Array.from({ length: 200 }, (_, i) => scene(projectId, `sc${String(i).padStart(3, '0')}`));
  const results = await Promise.all(pushes.map((p) => one.push(p)));
  for (let i = 1; i < results.length; i += 1) expect(results[i]!.timestamp).toBeGreaterThanOrEqual(results[i - 1]!.timestamp);
  const rows = await db.pool.query('SELECT id, updated_at FROM scenes WHERE project_id = $1 ORDER BY id', [projectId]);
  expect(rows.rows.map((r) => r.updated_at)).toEqual(results.map((r) => r.timestamp));
  const applied = await db.pool.query('SELECT push_id, timestamp FROM applied_pushes WHERE project_id = $1', [projectId]);
  expect(new Map(applied.rows.map((r) => [r.push_id, r.timestamp]))).toEqual(new Map(pushes.map((p, i) => [p.pushId, results[i]!.timestamp])));
  const batches = logs.filter((e) => e.event === 'push-batch' && e.projectId === projectId);
  expect(batches.reduce((n, b) => n + (b.event === 'push-batch' ? b.pushes : 0), 0)).toBe(200);
  expect(batches.length).toBeLessThan(200);
  expect(new Set(results.map((r) => r.timestamp)).size).toBe(batches.length);
});

test('[U10][U9] a bad push in a batch fails alone; the good ones around it commit', async () => {
  const projectId = await createProject(db.pool);
  await one.push(scene(projectId, 'sc1'));
  const held = holdNextPush(projectId);
  const opener = one.push(scene(projectId, 'sc2'));
  await held.stamped();
  const good1 = one.push({ projectId, pushId: newId(), lastPulledAt: null, changes: changesOf({ shots: { created: [shotRaw('sh1', 'sc1')] } }) });
  const bad = one.push({ projectId, pushId: newId(), lastPulledAt: null, changes: changesOf({ shots: { created: [shotRaw('sh-bad', 'ghost')] } }) });
  const good2 = one.push({ projectId, pushId: newId(), lastPulledAt: null, changes: changesOf({ shots: { created: [shotRaw('sh2', 'sc2')] } }) });
  held.release();
  await opener;
  const [r1, rBad, r2] = await Promise.allSettled([good1, bad, good2]);
  expect(r1.status).toBe('fulfilled');
  expect(r2.status).toBe('fulfilled');
  expect(rBad).toMatchObject({ status: 'rejected', reason: { code: 'BAD_REQUEST', message: expect.stringContaining('sh-bad') } });
  const shots = await db.pool.query('SELECT id FROM shots WHERE project_id = $1 ORDER BY id', [projectId]);
  expect(shots.rows.map((r) => r.id)).toEqual(['sh1', 'sh2']);
});

test('[U10][U2][U3] pushes batched together still merge per column and the later one wins a shared column', async () => {
  const projectId = await createProject(db.pool);
  await one.push({ projectId, pushId: newId(), lastPulledAt: null, changes: changesOf({ scenes: { created: [sceneRaw('sc1')] }, shots: { created: [shotRaw('sh1', 'sc1')] } }) });
  const held = holdNextPush(projectId);
  const opener = one.push(scene(projectId, 'sc2'));
  await held.stamped();
  const edit = (columns: Record<string, unknown>) =>
    one.push({ projectId, pushId: newId(), lastPulledAt: null, changes: changesOf({ shots: { updated: [{ id: 'sh1', ...columns, _changed: Object.keys(columns).join(',') }] } }) });
  const pending = [edit({ label: 'LABEL FROM LAPTOP' }), edit({ lens: '85mm' }), edit({ label: 'LABEL FROM TABLET' })];
  held.release();
  await opener;
  const results = await Promise.all(pending);
  expect(new Set(results.map((r) => r.timestamp)).size).toBe(1);
  const row = await db.pool.query('SELECT label, lens, size FROM shots WHERE project_id = $1', [projectId]);
  expect(row.rows[0]).toEqual({ label: 'LABEL FROM TABLET', lens: '85mm', size: 'WIDE' });
});
