// The database's own latency on this machine, with none of our code in between (issue 12):
// how long a bare round trip (SELECT 1) and a one-row INSERT that commits (its WAL fsync
// included) take from a plain pg connection, p50 / p99 / max, with 1 and with 8 connections
// at once. Tells the database's commit tail from our server's: if an INSERT's p99 is far
// above SELECT 1's, the tail is the commit (the disk), not the scheduling of the processes.
//   npx tsx bench/commit-latency.ts [seconds=8]   (DATABASE_URL, else the embedded PostgreSQL)
import os from 'node:os';
import pg from 'pg';
import { resolveDatabase } from '@clapper/db';
import { percentile, round } from './stats.ts';

const seconds = Number(process.argv[2] ?? 8);
const database = await resolveDatabase();

async function loop(connections: number, sql: string, values: (n: number) => unknown[]) {
  const times: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async (_, c) => {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      for (let n = 0; performance.now() < deadline; n++) {
        const started = performance.now();
        await client.query(sql, values(c * 1_000_000 + n));
        times.push(performance.now() - started);
      }
      await client.end();
    }),
  );
  const over = (ms: number) => times.filter((t) => t > ms).length;
  return {
    n: times.length,
    perSecond: round(times.length / seconds, 0),
    p50: round(percentile(times, 50)),
    p99: round(percentile(times, 99)),
    max: round(Math.max(...times)),
    over20ms: over(20),
    over50ms: over(50),
  };
}

try {
  const admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
  const settings = await admin.query(
    `SELECT name, setting FROM pg_settings WHERE name IN ('fsync','synchronous_commit','wal_sync_method','commit_delay','full_page_writes')`,
  );
  await admin.query('CREATE TABLE IF NOT EXISTS bench_commit_latency (n bigint, at double precision)');
  const insert = 'INSERT INTO bench_commit_latency (n, at) VALUES ($1, $2)';
  const rows: Array<Record<string, unknown>> = [];
  for (const connections of [1, 8]) {
    rows.push({ what: `SELECT 1, ${connections} conn`, ...(await loop(connections, 'SELECT 1', () => [])) });
    rows.push({
      what: `INSERT+COMMIT, ${connections} conn`,
      ...(await loop(connections, insert, (n) => [n, Date.now()])),
    });
  }
  await admin.query('DROP TABLE bench_commit_latency');
  await admin.end();
  console.log(Object.fromEntries(settings.rows.map((r: { name: string; setting: string }) => [r.name, r.setting])));
  console.log(
    `load average ${os
      .loadavg()
      .map((l) => round(l, 2))
      .join(' ')}`,
  );
  console.table(rows);
} finally {
  await database.stop();
}
process.exit(0);
