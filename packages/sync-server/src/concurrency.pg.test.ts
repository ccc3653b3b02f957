import { type Pool, type TestDatabase, createPool, createTestDatabase } from '@clapper/db';
import { createRecordingLogger } from '@clapper/log';
import type { PushResponse, RawRecord } from '@clapper/schema';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type SyncLogEntry, createSyncService } from './index.ts';
import {
  type ParsingSyncService,
  changesOf,
  createProject,
  newId,
  parsing,
  sceneRaw,
  shotRaw,
  waitFor,
} from './test-project.ts';

/**
 * Pushes under contention, on the one path production runs. Two services on separate
 * pools stand for two server processes: only PostgreSQL's locks order them. Tests hold
 * locks from outside, the way another instance's push does:
 * - `holdProjectRow`: the project row, so pushes wait before they stamp;
 * - `holdRecord`: one record, so a push writing it has taken the project row lock and its
 *   stamp and waits inside its statement, before its commit.
 */
let db: TestDatabase;
let secondPool: Pool;
let one: ParsingSyncService;
let two: ParsingSyncService;
// The service's debug lines (`sync pull`, `sync push-batch`, …) carry a SyncLogEntry's fields.
const recording = createRecordingLogger();
const syncLog = () => recording.lines.filter((l) => l.msg.startsWith('sync ')) as unknown as SyncLogEntry[];

beforeAll(async () => {
  db = await createTestDatabase();
  secondPool = createPool(db.url, 10);
  one = parsing(createSyncService({ pool: db.pool, logger: recording.logger }));
  two = parsing(createSyncService({ pool: secondPool }));
});
afterAll(async () => {
  await one?.close();
  await two?.close();
  await secondPool?.end();
  await db?.drop();
});

/** An open transaction holding `sql`'s locks until `release()` rolls it back (it changes nothing). */
async function hold(sql: string, values: unknown[]) {
  const client = await db.pool.connect();
  await client.query('BEGIN');
  await client.query(sql, values);
  return {
    async release() {
      await client.query('ROLLBACK');
      client.release();
    },
  };
}

function holdProjectRow(projectId: string) {
  return hold('SELECT clock FROM projects WHERE id = $1 FOR UPDATE', [projectId]);
}

/** Locks an existing record; a new id is inserted uncommitted, so a push creating it waits for the rollback. */
async function holdRecord(table: 'scenes' | 'shots', projectId: string, id: string) {
  const exists = await db.pool.query(`SELECT 1 FROM ${table} WHERE project_id = $1 AND id = $2`, [projectId, id]);
  return exists.rowCount
    ? hold(`SELECT 1 FROM ${table} WHERE project_id = $1 AND id = $2 FOR UPDATE`, [projectId, id])
    : hold(`INSERT INTO ${table} (project_id, id, created_at, updated_at) VALUES ($1, $2, 0, 0)`, [projectId, id]);
}

async function waitersOnLocks(): Promise<number> {
  const r = await db.pool.query(
    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
  );
  return r.rows[0].n;
}

const lockWaiters = (n: number) => waitFor(async () => (await waitersOnLocks()) >= n);

async function clockOf(projectId: string): Promise<number> {
  return (await db.pool.query('SELECT clock FROM projects WHERE id = $1', [projectId])).rows[0].clock;
}

const scene = (projectId: string, id: string, columns: Record<string, unknown> = {}) => ({
  projectId,
  pushId: newId(),
  lastPulledAt: null,
  changes: changesOf({ scenes: { created: [sceneRaw(id, columns)] } }),
});

const shotsChange = (projectId: string, tables: Parameters<typeof changesOf>[0]['shots']) => ({
  projectId,
  pushId: newId(),
  lastPulledAt: null,
  changes: changesOf({ shots: tables ?? {} }),
});

async function seed(projectId: string) {
  await one.push({
    projectId,
    pushId: newId(),
    lastPulledAt: null,
    changes: changesOf({
      scenes: { created: [sceneRaw('sc1')] },
      shots: { created: ['sh1', 'sh2', 'sh3'].map((id) => shotRaw(id, 'sc1')) },
    }),
  });
}

test('[P3][U6][K1] overlap: a pull between a stamped push and its commit misses nothing, and a waiting push stamps higher', async () => {
  const projectId = await createProject(db.pool);
  await one.push(scene(projectId, 'base'));
  const held = await holdRecord('scenes', projectId, 'from-A');
  const pushA = one.push(scene(projectId, 'from-A'));
  await lockWaiters(1);
  // B runs on the other instance, so nothing in-process orders it: it waits on the project row lock A holds.
  const pushB = two.push(scene(projectId, 'from-B'));
  await lockWaiters(2);
  const between = await one.pull({ projectId, lastPulledAt: null });
  expect(between.changes.scenes!.created.map((s) => s.id)).toEqual(['base']);
  await held.release();
  const [a, b] = await Promise.all([pushA, pushB]);
  expect(between.timestamp).toBeLessThan(a.timestamp);
  expect(b.timestamp).toBeGreaterThan(a.timestamp);
  const next = await two.pull({ projectId, lastPulledAt: between.timestamp });
  expect(next.changes.scenes!.updated.map((s) => s.id).sort()).toEqual(['from-A', 'from-B']);
  expect(next.timestamp).toBe(b.timestamp);
});

test('[P3][U10] overlap on one instance: a push queued behind a held one commits after it with a higher stamp', async () => {
  const projectId = await createProject(db.pool);
  const held = await holdRecord('scenes', projectId, 'from-A');
  const pushA = one.push(scene(projectId, 'from-A'));
  await lockWaiters(1);
  const pushB = one.push(scene(projectId, 'from-B'));
  const between = await one.pull({ projectId, lastPulledAt: null });
  expect(between.changes.scenes!.created).toEqual([]);
  await held.release();
  const [a, b] = await Promise.all([pushA, pushB]);
  expect(b.timestamp).toBeGreaterThan(a.timestamp);
  const next = await one.pull({ projectId, lastPulledAt: between.timestamp });
  expect(next.changes.scenes!.updated.map((s) => s.id).sort()).toEqual(['from-A', 'from-B']);
});

test('[U4] a retried push reaching another instance while the first is in flight is applied once', async () => {
  const projectId = await createProject(db.pool);
  const push = scene(projectId, 'sc1');
  const held = await holdRecord('scenes', projectId, 'sc1');
  const first = one.push(push);
  await lockWaiters(1);
  const retry = two.push(push);
  await lockWaiters(2);
  await held.release();
  const [a, b] = await Promise.all([first, retry]);
  expect(b).toEqual(a);
  const applied = await db.pool.query('SELECT push_id, timestamp FROM applied_pushes WHERE project_id = $1', [
    projectId,
  ]);
  expect(applied.rows).toEqual([{ push_id: push.pushId, timestamp: a.timestamp }]);
  // The retry's statement gave its clock bump back.
  expect(await clockOf(projectId)).toBe(a.timestamp);
});

test('[U16][U4][K1] a retry reaching another instance while the original waits on the row lock is applied once; the clock moves once', async () => {
  const projectId = await createProject(db.pool);
  const push = scene(projectId, 'sc1');
  const held = await holdProjectRow(projectId);
  const first = one.push(push);
  const retry = two.push(push);
  await lockWaiters(2);
  await held.release();
  const [a, b] = await Promise.all([first, retry]);
  expect(b).toEqual(a);
  const applied = await db.pool.query('SELECT push_id, timestamp FROM applied_pushes WHERE project_id = $1', [
    projectId,
  ]);
  expect(applied.rows).toEqual([{ push_id: push.pushId, timestamp: a.timestamp }]);
  expect(await clockOf(projectId)).toBe(a.timestamp);
});

test.each(['update first', 'delete first'])('[U5] delete beats a concurrent update (%s)', async (order) => {
  const projectId = await createProject(db.pool);
  await one.push({
    projectId,
    pushId: newId(),
    lastPulledAt: null,
    changes: changesOf({ scenes: { created: [sceneRaw('sc1')] }, shots: { created: [shotRaw('sh1', 'sc1')] } }),
  });
  const update = shotsChange(projectId, { updated: [{ id: 'sh1', label: 'EDITED', _changed: 'label' }] });
  const remove = shotsChange(projectId, { deleted: ['sh1'] });
  const [firstPush, secondPush] = order === 'update first' ? [update, remove] : [remove, update];
  const held = await holdRecord('shots', projectId, 'sh1');
  const first = one.push(firstPush);
  await lockWaiters(1);
  const second = two.push(secondPush);
  await lockWaiters(2);
  await held.release();
  const [a, b] = await Promise.all([first, second]);
  const deletedAt = (order === 'update first' ? b : a).timestamp;
  const pulled = await two.pull({ projectId, lastPulledAt: null });
  expect(pulled.changes.shots!.created).toEqual([]);
  const row = await db.pool.query('SELECT label, deleted_at, updated_at FROM shots WHERE project_id = $1', [projectId]);
  // Delete first: the late update must not touch the deleted row at all.
  expect(row.rows[0]).toEqual({
    label: order === 'update first' ? 'EDITED' : '1A',
    deleted_at: deletedAt,
    updated_at: deletedAt,
  });
});

test('[U16][U5][U6] delete and update racing from two instances: the row ends deleted, and the update counts only if it committed first', async () => {
  const projectId = await createProject(db.pool);
  await seed(projectId);
  const held = await holdProjectRow(projectId);
  const update = one.push(shotsChange(projectId, { updated: [{ id: 'sh1', label: 'EDITED', _changed: 'label' }] }));
  const remove = two.push(shotsChange(projectId, { deleted: ['sh1'] }));
  await lockWaiters(2);
  await held.release();
  const [updated, deleted] = await Promise.all([update, remove]);
  expect(updated.timestamp).not.toBe(deleted.timestamp);
  const row = await db.pool.query('SELECT label, deleted_at, updated_at FROM shots WHERE project_id = $1 AND id = $2', [
    projectId,
    'sh1',
  ]);
  expect(row.rows[0]).toEqual({
    label: updated.timestamp < deleted.timestamp ? 'EDITED' : '1A',
    deleted_at: deleted.timestamp,
    updated_at: deleted.timestamp,
  });
  const pulled = await one.pull({ projectId, lastPulledAt: null });
  expect(pulled.changes.shots!.created.map((s) => s.id).sort()).toEqual(['sh2', 'sh3']);
});

test('[U10][U6] 200 concurrent pushes are group-committed: each acked once, all rows present, stamps monotone', async () => {
  const projectId = await createProject(db.pool);
  recording.lines.length = 0;
  const pushes = Array.from({ length: 200 }, (_, i) => scene(projectId, `sc${String(i).padStart(3, '0')}`));
  const results = await Promise.all(pushes.map((p) => one.push(p)));
  for (let i = 1; i < results.length; i += 1)
    expect(results[i]!.timestamp).toBeGreaterThanOrEqual(results[i - 1]!.timestamp);
  const rows = await db.pool.query('SELECT id, updated_at FROM scenes WHERE project_id = $1 ORDER BY id', [projectId]);
  expect(rows.rows.map((r) => r.updated_at)).toEqual(results.map((r) => r.timestamp));
  const applied = await db.pool.query('SELECT push_id, timestamp FROM applied_pushes WHERE project_id = $1', [
    projectId,
  ]);
  expect(new Map(applied.rows.map((r) => [r.push_id, r.timestamp]))).toEqual(
    new Map(pushes.map((p, i) => [p.pushId, results[i]!.timestamp])),
  );
  const batches = syncLog().filter((e) => e.event === 'push-batch' && e.projectId === projectId);
  expect(batches.reduce((n, b) => n + (b.event === 'push-batch' ? b.pushes : 0), 0)).toBe(200);
  expect(batches.length).toBeLessThan(200);
  expect(new Set(results.map((r) => r.timestamp)).size).toBe(batches.length);
});

test('[U16][U10][U4][U12] pushes queued behind a held row share one statement; a retry among them keeps its first answer and writes nothing', async () => {
  const projectId = await createProject(db.pool);
  await seed(projectId);
  const old = shotsChange(projectId, { updated: [{ id: 'sh2', lens: '50mm', _changed: 'lens' }] });
  const first = await one.push(old);
  await one.push(shotsChange(projectId, { updated: [{ id: 'sh2', lens: '24mm', _changed: 'lens' }] }));

  const held = await holdProjectRow(projectId);
  const opener = one.push(scene(projectId, 'sc2'));
  await lockWaiters(1);
  recording.lines.length = 0;
  const pending = [
    one.push(shotsChange(projectId, { updated: [{ id: 'sh1', label: 'FROM LAPTOP', _changed: 'label' }] })),
    // The retry arrives while its first answer is long committed: it must not undo the later 24mm.
    one.push({ ...old, changes: changesOf({ shots: { updated: [{ id: 'sh2', lens: '50mm', _changed: 'lens' }] } }) }),
    one.push(shotsChange(projectId, { deleted: ['sh3'], created: [shotRaw('sh4', 'sc1', { label: 'NEW' })] })),
  ];
  await held.release();
  await opener;
  const [edit, retry, mixed] = await Promise.all(pending);
  // The opener's batch, then the three that queued behind it.
  expect(
    syncLog()
      .filter((e) => e.event === 'push-batch')
      .map((e) => (e.event === 'push-batch' ? e.pushes : 0)),
  ).toEqual([1, 3]);
  expect(retry).toEqual(first);
  expect(edit!.timestamp).toBe(mixed!.timestamp);
  expect(edit!.timestamp).toBeGreaterThan(first.timestamp);
  const rows = await db.pool.query(
    'SELECT id, label, lens, deleted_at, updated_at FROM shots WHERE project_id = $1 ORDER BY id',
    [projectId],
  );
  const byId = Object.fromEntries(rows.rows.map((r) => [r.id, r]));
  expect(byId.sh1).toMatchObject({ label: 'FROM LAPTOP', updated_at: edit!.timestamp });
  expect(byId.sh2).toMatchObject({ lens: '24mm' });
  expect(byId.sh2.updated_at).toBeLessThan(edit!.timestamp);
  expect(byId.sh3).toMatchObject({ deleted_at: edit!.timestamp });
  expect(byId.sh4).toMatchObject({ label: 'NEW', updated_at: edit!.timestamp, deleted_at: null });
  expect(await clockOf(projectId)).toBe(edit!.timestamp);
});

test('[U16][U4] a retry merged into its batch with another push to the same record keeps its first answer; the other push applies', async () => {
  const projectId = await createProject(db.pool);
  await seed(projectId);
  const old = shotsChange(projectId, { updated: [{ id: 'sh2', lens: '50mm', label: 'OLD', _changed: 'lens,label' }] });
  const first = await one.push(old);
  await one.push(shotsChange(projectId, { updated: [{ id: 'sh2', label: 'NEWER', _changed: 'label' }] }));
  const held = await holdProjectRow(projectId);
  const opener = one.push(scene(projectId, 'sc2'));
  await lockWaiters(1);
  const pending = [
    // A retry and a fresh edit of the same record land in one batch: the merged write would apply the retry again.
    one.push({ ...old }),
    one.push(shotsChange(projectId, { updated: [{ id: 'sh2', lens: '85mm', _changed: 'lens' }] })),
    one.push(shotsChange(projectId, { updated: [{ id: 'sh1', label: 'ELSEWHERE', _changed: 'label' }] })),
  ];
  await held.release();
  await opener;
  const [retry, edit, elsewhere] = await Promise.all(pending);
  expect(retry).toEqual(first);
  expect(edit!.timestamp).toBeGreaterThan(first.timestamp);
  const rows = await db.pool.query('SELECT id, label, lens, updated_at FROM shots WHERE project_id = $1 ORDER BY id', [
    projectId,
  ]);
  const byId = Object.fromEntries(rows.rows.map((r) => [r.id, r]));
  // The retry wrote nothing: its old label does not come back.
  expect(byId.sh2).toEqual({ id: 'sh2', label: 'NEWER', lens: '85mm', updated_at: edit!.timestamp });
  expect(byId.sh1).toMatchObject({ label: 'ELSEWHERE', updated_at: elsewhere!.timestamp });
  const applied = await db.pool.query('SELECT count(*)::int AS n FROM applied_pushes WHERE project_id = $1', [
    projectId,
  ]);
  expect(applied.rows[0].n).toBe(6);
});

test('[U10][U9] a bad push in a batch fails alone; the good ones around it commit', async () => {
  const projectId = await createProject(db.pool);
  await one.push(scene(projectId, 'sc1'));
  const held = await holdRecord('scenes', projectId, 'sc2');
  const opener = one.push(scene(projectId, 'sc2'));
  await lockWaiters(1);
  const good1 = one.push(shotsChange(projectId, { created: [shotRaw('sh1', 'sc1')] }));
  const bad = one.push(shotsChange(projectId, { created: [shotRaw('sh-bad', 'ghost')] }));
  const good2 = one.push(shotsChange(projectId, { created: [shotRaw('sh2', 'sc2')] }));
  await held.release();
  await opener;
  const [r1, rBad, r2] = await Promise.allSettled([good1, bad, good2]);
  expect(r1.status).toBe('fulfilled');
  expect(r2.status).toBe('fulfilled');
  expect(rBad).toMatchObject({
    status: 'rejected',
    reason: { code: 'BAD_REQUEST', message: expect.stringContaining('sh-bad') },
  });
  const shots = await db.pool.query('SELECT id FROM shots WHERE project_id = $1 ORDER BY id', [projectId]);
  expect(shots.rows.map((r) => r.id)).toEqual(['sh1', 'sh2']);
});

test('[U16][U10][U9] a bad push in a batch queued behind a held row fails alone; the good ones queued with it commit', async () => {
  const projectId = await createProject(db.pool);
  await seed(projectId);
  const held = await holdProjectRow(projectId);
  const opener = one.push(scene(projectId, 'sc2'));
  await lockWaiters(1);
  const good1 = one.push(shotsChange(projectId, { created: [shotRaw('sh-a', 'sc1')] }));
  const bad = one.push(shotsChange(projectId, { created: [shotRaw('sh-bad', 'ghost')] }));
  const good2 = one.push(shotsChange(projectId, { created: [shotRaw('sh-b', 'sc1')] }));
  await held.release();
  await opener;
  const [r1, rBad, r2] = await Promise.allSettled([good1, bad, good2]);
  expect(r1.status).toBe('fulfilled');
  expect(r2.status).toBe('fulfilled');
  expect(rBad).toMatchObject({
    status: 'rejected',
    reason: { code: 'BAD_REQUEST', message: expect.stringContaining('sh-bad') },
  });
  const shots = await db.pool.query("SELECT id FROM shots WHERE project_id = $1 AND id LIKE 'sh-%' ORDER BY id", [
    projectId,
  ]);
  expect(shots.rows.map((r) => r.id)).toEqual(['sh-a', 'sh-b']);
  const applied = await db.pool.query('SELECT count(*)::int AS n FROM applied_pushes WHERE project_id = $1', [
    projectId,
  ]);
  expect(applied.rows[0].n).toBe(4);
});

test('[U10][U2][U3][U16] pushes batched together still merge per column and the later one wins a shared column', async () => {
  const projectId = await createProject(db.pool);
  await one.push({
    projectId,
    pushId: newId(),
    lastPulledAt: null,
    changes: changesOf({ scenes: { created: [sceneRaw('sc1')] }, shots: { created: [shotRaw('sh1', 'sc1')] } }),
  });
  const held = await holdProjectRow(projectId);
  const opener = one.push(scene(projectId, 'sc2'));
  await lockWaiters(1);
  const edit = (columns: Record<string, unknown>) =>
    one.push(
      shotsChange(projectId, { updated: [{ id: 'sh1', ...columns, _changed: Object.keys(columns).join(',') }] }),
    );
  const pending = [edit({ label: 'LABEL FROM LAPTOP' }), edit({ lens: '85mm' }), edit({ label: 'LABEL FROM TABLET' })];
  await held.release();
  await opener;
  const results = await Promise.all(pending);
  expect(new Set(results.map((r) => r.timestamp)).size).toBe(1);
  const row = await db.pool.query('SELECT label, lens, size FROM shots WHERE project_id = $1', [projectId]);
  expect(row.rows[0]).toEqual({ label: 'LABEL FROM TABLET', lens: '85mm', size: 'WIDE' });
});

// Randomized: one batch whose pushes create, edit and delete the same few records ends
// exactly as the same pushes applied one by one, from any starting state of those records.
const columns = ['number', 'heading', 'location', 'synopsis'] as const;
type Column = (typeof columns)[number];
type Op =
  | { kind: 'created' | 'updated'; id: string; values: Partial<Record<Column, string>>; changed: Column[] }
  | { kind: 'deleted'; id: string };
const ids = ['s1', 's2', 's3'];
const valuesArb = fc.record(
  {
    number: fc.constantFrom('1', '2'),
    heading: fc.constantFrom('INT. A', 'EXT. B'),
    location: fc.constantFrom('a', 'b'),
    synopsis: fc.constantFrom('', 'x'),
  },
  { requiredKeys: [] },
);
const opArb = (id: string): fc.Arbitrary<Op> =>
  fc.oneof(
    fc.record({
      kind: fc.constant('created' as const),
      id: fc.constant(id),
      values: valuesArb,
      changed: fc.constant([] as Column[]),
    }),
    fc.record({
      kind: fc.constant('updated' as const),
      id: fc.constant(id),
      values: valuesArb,
      changed: fc.subarray([...columns]),
    }),
    fc.record({ kind: fc.constant('deleted' as const), id: fc.constant(id) }),
  );
// A push holds one or two ops on distinct records.
const pushArb = fc
  .uniqueArray(fc.constantFrom(...ids), { minLength: 1, maxLength: 2 })
  .chain((touched) => fc.tuple(...touched.map(opArb)));
const startArb = fc.tuple(...ids.map(() => fc.constantFrom('absent', 'live', 'deleted')));

function changesFor(ops: readonly Op[]) {
  const created: RawRecord[] = [];
  const updated: RawRecord[] = [];
  const deleted: string[] = [];
  for (const op of ops) {
    if (op.kind === 'deleted') deleted.push(op.id);
    else if (op.kind === 'updated')
      updated.push({ id: op.id, ...op.values, _status: 'updated', _changed: op.changed.join(',') });
    else created.push({ id: op.id, ...op.values, _status: 'created', _changed: '' });
  }
  return { scenes: { created, updated, deleted } };
}

async function scenesOf(projectId: string) {
  const rows = await db.pool.query(
    "SELECT id, number, heading, location, synopsis, deleted_at IS NOT NULL AS deleted FROM scenes WHERE project_id = $1 AND id <> 'opener' ORDER BY id",
    [projectId],
  );
  return rows.rows;
}

test('[U16][U10][U2][U3][U5] a batch whose pushes touch the same records ends as if they were applied one by one', async () => {
  await fc.assert(
    fc.asyncProperty(startArb, fc.array(pushArb, { minLength: 2, maxLength: 6 }), async (start, pushes) => {
      const [batched, oneByOne] = [await createProject(db.pool), await createProject(db.pool)];
      for (const projectId of [batched, oneByOne]) {
        for (const [i, state] of start.entries()) {
          const id = ids[i]!;
          if (state !== 'absent')
            await one.push({
              projectId,
              pushId: newId(),
              lastPulledAt: null,
              changes: changesFor([{ kind: 'created', id, values: { heading: `START ${id}` }, changed: [] }]),
            });
          if (state === 'deleted')
            await one.push({
              projectId,
              pushId: newId(),
              lastPulledAt: null,
              changes: changesFor([{ kind: 'deleted', id }]),
            });
        }
      }
      for (const ops of [[], ...pushes]) {
        await one.push({
          projectId: oneByOne,
          pushId: newId(),
          lastPulledAt: null,
          changes: ops.length ? changesFor(ops) : changesOf({ scenes: { created: [sceneRaw('opener')] } }),
        });
      }
      const held = await holdProjectRow(batched);
      const opener = one.push(scene(batched, 'opener'));
      await lockWaiters(1);
      const pending: Promise<PushResponse>[] = pushes.map((ops) =>
        one.push({ projectId: batched, pushId: newId(), lastPulledAt: null, changes: changesFor(ops) }),
      );
      await held.release();
      await opener;
      const results = await Promise.all(pending);
      // One batch, one statement: one stamp.
      expect(new Set(results.map((r) => r.timestamp)).size).toBe(1);
      expect(await scenesOf(batched)).toEqual(await scenesOf(oneByOne));
    }),
    { numRuns: 40 },
  );
});
