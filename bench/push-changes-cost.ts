// What collecting a commit's changes for its nudge (S11: the push statement RETURNING its rows,
// json_agg) costs a one-record push, against the same push without them, interleaved push by
// push on one sync service and one connection pool so the machine's noise falls on both:
// p50 / p90 of `sync.push` (statement, commit and queue; no HTTP), and the database's own
// execution time of each statement shape (EXPLAIN ANALYZE, rolled back).
//   DATABASE_URL=... npx tsx bench/push-changes-cost.ts [pushes=400]
import os from 'node:os';
import { createTestDatabase } from '@clapper/db';
import { createSyncService, parsePushRequest } from '@clapper/sync-server';
import pg from 'pg';
import { percentile, round } from './stats.ts';

const pushes = Number(process.argv[2] ?? 400);
const db = await createTestDatabase();
let wants = false;
const sync = createSyncService({ pool: db.pool, wantsChanges: () => wants });
// The push statements as the service sends them (named `clapper-push-*`), one per shape.
const sent = new Map<boolean, { text: string; values: unknown[] }>();
const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
const query = proto.query;
proto.query = function capture(this: unknown, ...args: unknown[]) {
  const config = args[0] as { name?: string; text?: string; values?: unknown[] } | string;
  if (typeof config === 'object' && config.name?.startsWith('clapper-push-') && !sent.has(wants))
    sent.set(wants, { text: config.text ?? '', values: config.values ?? [] });
  return query.apply(this, args);
};
const changesOf = (tables: Record<string, { created?: object[]; updated?: object[] }>) =>
  Object.fromEntries(
    Object.entries(tables).map(([t, c]) => [t, { created: c.created ?? [], updated: c.updated ?? [], deleted: [] }]),
  );
try {
  const projectId = 'push-changes-cost';
  await db.pool.query('INSERT INTO projects (id, name, clock, created_at) VALUES ($1, $2, 0, $3)', [
    projectId,
    'Bench: push changes cost',
    Date.now(),
  ]);
  const push = (pushId: string, label: string) =>
    sync.push(
      parsePushRequest({
        projectId,
        pushId,
        lastPulledAt: null,
        changes: changesOf({ shots: { updated: [{ id: 'sh1', label, _status: 'updated', _changed: 'label' }] } }),
      }),
    );
  await sync.push(
    parsePushRequest({
      projectId,
      pushId: 'seed',
      lastPulledAt: null,
      changes: changesOf({
        scenes: { created: [{ id: 'sc1', heading: 'INT. STAGE - DAY', sort_key: 'a0' }] },
        shots: { created: [{ id: 'sh1', scene_id: 'sc1', sort_key: 'a0', label: 'seed' }] },
      }),
    }),
  );
  sent.clear(); // the seed's statement is not the shape measured
  const times = { with: [] as number[], without: [] as number[] };
  for (let n = 0; n < pushes + 40; n++) {
    wants = n % 2 === 0;
    const started = performance.now();
    await push(`p${n}`, `take ${n}`);
    // The first 40 warm up (prepared statements, V8).
    if (n >= 40) (wants ? times.with : times.without).push(performance.now() - started);
  }
  // The database's side alone: each shape's execution time, in a transaction rolled back,
  // with push ids never applied (an applied one writes nothing).
  const executed = { with: [] as number[], without: [] as number[] };
  const client = await db.pool.connect();
  try {
    for (let n = 0; n < 200; n++) {
      const withChanges = n % 2 === 0;
      const statement = sent.get(withChanges)!;
      const original = JSON.stringify((statement.values[1] as string[]) ?? []);
      const values = statement.values.map((v) => (JSON.stringify(v) === original ? [`explain${n}`] : v));
      await client.query('BEGIN');
      const plan = await client.query<{ 'QUERY PLAN': Array<{ 'Execution Time': number }> }>(
        `EXPLAIN (ANALYZE, FORMAT JSON) ${statement.text}`,
        values,
      );
      await client.query('ROLLBACK');
      (withChanges ? executed.with : executed.without).push(plan.rows[0]!['QUERY PLAN'][0]!['Execution Time']);
    }
  } finally {
    client.release();
  }
  const summary = (values: number[]) => ({
    n: values.length,
    p50: round(percentile(values, 50), 2),
    p90: round(percentile(values, 90), 2),
  });
  console.log(
    `load average ${os
      .loadavg()
      .map((l) => round(l, 2))
      .join(' ')}`,
  );
  console.table({
    'push, changes collected': summary(times.with),
    'push, no changes': summary(times.without),
    'statement execution (EXPLAIN ANALYZE), changes': summary(executed.with),
    'statement execution (EXPLAIN ANALYZE), none': summary(executed.without),
  });
} finally {
  await sync.close();
  await db.drop();
}
process.exit(0);
