/**
 * Pull: every table and the clock read by one statement, so in one snapshot.
 * Identical pulls are computed once: concurrent callers asking for the same project
 * and lastPulledAt while the clock reads the same value share one result (after a
 * nudge, 50 clients pulling cost one query). Keying on the clock each caller read
 * after it arrived keeps this exact: the shared result's snapshot was taken after
 * that read, so it holds everything committed before the caller asked.
 */
import type { Pool } from '@clapper/db';
import { type PullResponse, type SyncChanges, type TableChanges, tableNames } from '@clapper/schema';
import { readClockStatement } from './project-clock.ts';
import { SyncError } from './sync-error.ts';
import { pullStatement } from './table-statements.ts';

const firstPullSql = pullStatement('first');
const incrementalPullSql = pullStatement('incremental');

type PullRow = { clock: number } & Record<string, unknown>;

export async function readPull(pool: Pool, projectId: string, lastPulledAt: number | null): Promise<PullResponse> {
  const result =
    lastPulledAt === null
      ? await pool.query<PullRow>({ name: 'clapper-pull-first', text: firstPullSql, values: [projectId] })
      : await pool.query<PullRow>({
          name: 'clapper-pull-since',
          text: incrementalPullSql,
          values: [projectId, lastPulledAt],
        });
  const row = result.rows[0];
  if (!row) throw new SyncError('NOT_FOUND', `project ${projectId} does not exist`);
  const changes: SyncChanges = {};
  for (const table of tableNames) {
    const value = row[table];
    const tableChanges: TableChanges =
      lastPulledAt === null
        ? { created: value as TableChanges['created'], updated: [], deleted: [] }
        : { created: [], ...(value as Pick<TableChanges, 'updated' | 'deleted'>) };
    changes[table] = tableChanges;
  }
  return { changes, timestamp: row.clock };
}

export interface PullCoalescerOptions {
  pool: Pool;
  /** How long a finished result keeps answering identical pulls (the clock check keeps it exact). */
  reuseMs?: number;
}

export interface PullOutcome {
  readonly response: PullResponse;
  /** True when the result was computed for another caller. */
  readonly shared: boolean;
}

export class PullCoalescer {
  private readonly results = new Map<string, Promise<PullResponse>>();

  constructor(private readonly options: PullCoalescerOptions) {}

  async pull(projectId: string, lastPulledAt: number | null): Promise<PullOutcome> {
    const clock = await this.options.pool.query<{ clock: number }>({
      name: 'clapper-read-clock',
      text: readClockStatement,
      values: [projectId],
    });
    const current = clock.rows[0]?.clock;
    if (current === undefined) throw new SyncError('NOT_FOUND', `project ${projectId} does not exist`);
    const key = `${projectId}\u0000${lastPulledAt ?? 'first'}\u0000${current}`;
    const existing = this.results.get(key);
    if (existing) return { response: await existing, shared: true };
    const computing = readPull(this.options.pool, projectId, lastPulledAt);
    this.results.set(key, computing);
    computing.then(
      () => setTimeout(() => this.results.delete(key), this.options.reuseMs ?? 1000).unref(),
      () => this.results.delete(key),
    );
    return { response: await computing, shared: false };
  }
}
