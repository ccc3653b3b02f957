import { type Pool, type TestDatabase, createPool, createTestDatabase } from '@clapper/db';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type SyncLogEntry, type SyncService, createSyncService } from './index.ts';
import { changesOf, createProject, newId, sceneRaw, shotRaw, waitFor } from './test-project.ts';

/**
 * The one-statement path, which every batch of disjoint pushes takes (services without
 * the `afterStamp` seam), under contention. An outside transaction holds the project row
 * the way another instance's push does, so pushes queue on the lock inside PostgreSQL.
 * Two services on separate pools stand for two server processes.
 */
let db: TestDatabase;
let secondPool: Pool;
let one: SyncService;
let two: SyncService;
const logs: SyncLogEntry[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  secondPool = createPool(db.url, 10);
  one = createSyncService({ pool: db.pool, log: (e) => logs.push(e) });
  two = createSyncService({ pool: secondPool });
});
afterAll(async () => {
  await one?.close();
  await two?.close();
  await secondPool?.end();
  await db?.drop();
});

async function holdProjectRow(projectId: string) {
  const client = await db.pool.connect();
  await client.query('BEGIN');
  await client.query('SELECT clock FROM projects WHERE id = $1 FOR UPDATE', [projectId]);
  return {
    async release() {
      await client.query('COMMIT');
      client.release();
    },
  };
}

async function waitersOnLocks(): Promise<number> {
  const r = await db.pool.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'");
  return r.rows[0].n;
}

async function clockOf(projectId: string): Promise<number> {
  return (await db.pool.query('SELECT clock FROM projects WHERE id = $1', [projectId])).rows[0].clock;
}

async function seed(projectId: string) {
  await one.push({
    projectId,
    pushId: newId(),
    lastPulledAt: null,
    changes: changesOf({ scenes: { created: [sceneRaw('sc1')] }, shots: { created: ['sh1', 'sh2', 'sh3'].map((id) => shotRaw(id, 'sc1')) } }),
  });
}

test('[U16][U4][K1] a retry reaching another instance while the original waits on the row lock is applied once; the clock moves once', async () => {
  const projectId = await createProject(db.pool);
  const push = { projectId, pushId: newId(), lastPulledAt: null, changes: changesOf({ scenes: { created: [sceneRaw('sc1')] } }) };
  const held = await holdProjectRow(projectId);
  const first = one.push(push);
  const retry = two.push(push);
  await waitFor(async () => (await waitersOnLocks()) >= 2);
  await held.release();
  const [a, b] = await Promise.all([first, retry]);
  expect(b).toEqual(a);
  const applied = await db.pool.query('SELECT push_id, timestamp FROM applied_pushes WHERE project_id = $1', [projectId]);
  expect(applied.rows).toEqual([{ push_id: push.pushId, timestamp: a.timestamp }]);
  expect(await clockOf(projectId)).toBe(a.timestamp);
});

test('[U16][U5][U6] delete and update racing from two instances: the row ends deleted, and the update counts only if it committed first', async () => {
  const projectId = await createProject(db.pool);
  await seed(projectId);
  const held = await holdProjectRow(projectId);
  const update = one.push({ projectId, pushId: newId(), lastPulledAt: null, changes: changesOf({ shots: { updated: [{ id: 'sh1', label: 'EDITED', _changed: 'label' }] } }) });
  const remove = two.push({ projectId, pushId: newId(), lastPulledAt: null, changes: changesOf({ shots: { deleted: ['sh1'] } }) });
  await waitFor(async () => (await waitersOnLocks()) >= 2);
  await held.release();
  const [updated, deleted] = await Promise.all([update, remove]);
  expect(updated.timestamp).not.toBe(deleted.timestamp);
  const row = await db.pool.query('SELECT label, deleted_at, updated_at FROM shots WHERE project_id = $1 AND id = $2', [projectId, 'sh1']);
  expect(row.rows[0]).toEqual({ label: updated.timestamp < deleted.timestamp ? 'EDITED' : '1A', deleted_at: deleted.timestamp, updated_at: deleted.timestamp });
  const pulled = await one.pull({ projectId, lastPulledAt: null });
  expect(pulled.changes.shots!.created.map((s) => s.id).sort()).toEqual(['sh2', 'sh3']);
});

test('[U16][U10][U4][U12] pushes queued behind a held row share one statement; a retry among them keeps its first answer and writes nothing', async () => {
  const projectId = await createProject(db.pool);
  await seed(projectId);
  const old = { projectId, pushId: newId(), lastPulledAt: null, changes: changesOf({ shots: { updated: [{ id: 'sh2', lens: '50mm', _changed: 'lens' }] } }) };
  const first = await one.push(old);
  await one.push({ projectId, pushId: newId(), lastPulledAt: null, changes: changesOf({ shots: { updated: [{ id: 'sh2', lens: '24mm', _changed: 'lens' }] } }) });

  const held = await holdProjectRow(projectId);
  const opener = one.push({ projectId, pushId: newId(), lastPulledAt: null, changes: changesOf({ scenes: { created: [sceneRaw('sc2')] } }) });
  await waitFor(async () => (await waitersOnLocks()) >= 1);
  logs.length = 0;
  const pending = [
    one.push({ projectId, pushId: newId(), lastPulledAt: null, changes: changesOf({ shots: { updated: [{ id: 'sh1', label: 'FROM LAPTOP', _changed: 'label' }] } }) }),
    // The retry arrives while its first answer is long committed: it must not undo the later 24mm.
    one.push({ ...old, changes: changesOf({ shots: { updated: [{ id: 'sh2', lens: '50mm', _changed: 'lens' }] } }) }),
    one.push({ projectId, pushId: newId(), lastPulledAt: null, changes: changesOf({ shots: { deleted: ['sh3'], created: [shotRaw('sh4', 'sc1', { label: 'NEW' })] } }) }),
  ];
  await held.release();
  await opener;
  const [edit, retry, mixed] = await Promise.all(pending);
  // The opener's batch, then the three that queued behind it.
  expect(logs.filter((e) => e.event === 'push-batch').map((e) => (e.event === 'push-batch' ? e.pushes : 0))).toEqual([1, 3]);
  expect(retry).toEqual(first);
  expect(edit!.timestamp).toBe(mixed!.timestamp);
  expect(edit!.timestamp).toBeGreaterThan(first.timestamp);
  const rows = await db.pool.query('SELECT id, label, lens, deleted_at, updated_at FROM shots WHERE project_id = $1 ORDER BY id', [projectId]);
  const byId = Object.fromEntries(rows.rows.map((r) => [r.id, r]));
  expect(byId.sh1).toMatchObject({ label: 'FROM LAPTOP', updated_at: edit!.timestamp });
  expect(byId.sh2).toMatchObject({ lens: '24mm' });
  expect(byId.sh2.updated_at).toBeLessThan(edit!.timestamp);
  expect(byId.sh3).toMatchObject({ deleted_at: edit!.timestamp });
  expect(byId.sh4).toMatchObject({ label: 'NEW', updated_at: edit!.timestamp, deleted_at: null });
  expect(await clockOf(projectId)).toBe(edit!.timestamp);
});

test('[U16][U10][U9] a bad push in a one-statement batch fails alone; the good ones queued with it commit', async () => {
  const projectId = await createProject(db.pool);
  await seed(projectId);
  const held = await holdProjectRow(projectId);
  const opener = one.push({ projectId, pushId: newId(), lastPulledAt: null, changes: changesOf({ scenes: { created: [sceneRaw('sc2')] } }) });
  await waitFor(async () => (await waitersOnLocks()) >= 1);
  const good1 = one.push({ projectId, pushId: newId(), lastPulledAt: null, changes: changesOf({ shots: { created: [shotRaw('sh-a', 'sc1')] } }) });
  const bad = one.push({ projectId, pushId: newId(), lastPulledAt: null, changes: changesOf({ shots: { created: [shotRaw('sh-bad', 'ghost')] } }) });
  const good2 = one.push({ projectId, pushId: newId(), lastPulledAt: null, changes: changesOf({ shots: { created: [shotRaw('sh-b', 'sc1')] } }) });
  await held.release();
  await opener;
  const [r1, rBad, r2] = await Promise.allSettled([good1, bad, good2]);
  expect(r1.status).toBe('fulfilled');
  expect(r2.status).toBe('fulfilled');
  expect(rBad).toMatchObject({ status: 'rejected', reason: { code: 'BAD_REQUEST', message: expect.stringContaining('sh-bad') } });
  const shots = await db.pool.query("SELECT id FROM shots WHERE project_id = $1 AND id LIKE 'sh-%' ORDER BY id", [projectId]);
  expect(shots.rows.map((r) => r.id)).toEqual(['sh-a', 'sh-b']);
  const applied = await db.pool.query('SELECT count(*)::int AS n FROM applied_pushes WHERE project_id = $1', [projectId]);
  expect(applied.rows[0].n).toBe(4);
});
