/**
 * Pull: every table and the clock read by one statement, so in one snapshot.
 * Identical pulls are computed once: concurrent callers asking for the same project
 * and lastPulledAt while the clock reads the same value share one result (after a
 * nudge, 50 clients pulling cost one query). Keying on the clock each caller read
 * after it arrived keeps this exact: the shared result's snapshot was taken after
 * that read, so it holds everything committed before the caller asked.
 */
import type { Pool } from '@clapper/db';
import type { PullResponse, SyncChanges, TableChanges } from '@clapper/schema';
import { readClockStatement } from './project-clock.ts';
import { SyncError } from './sync-error.ts';
import type { PullInput, PullTableMode } from './sync-request.ts';
import { pullStatement } from './table-statements.ts';

type PullRow = { clock: number } & Record<string, TableChanges>;

const modeLetter: Record<PullTableMode, string> = { since: 's', 'all-created': 'c', 'all-updated': 'u' };

/** Names a pull's shape (schema version, and each table's mode): one prepared statement per shape. */
function shapeOf(input: Pick<PullInput, 'schemaVersion' | 'tables'>): string {
  return `v${input.schemaVersion}-${[...input.tables.values()].map((mode) => modeLetter[mode]).join('')}`;
}

const statements = new Map<string, string>();

function statementFor(shape: string, input: Pick<PullInput, 'schemaVersion' | 'tables'>): string {
  let text = statements.get(shape);
  if (text === undefined) {
    text = pullStatement(input.tables, input.schemaVersion);
    statements.set(shape, text);
  }
  return text;
}

export async function readPull(pool: Pool, input: PullInput): Promise<PullResponse> {
  const { projectId, lastPulledAt } = input;
  const shape = shapeOf(input);
  const result = await pool.query<PullRow>({
    name: `clapper-pull-${shape}`,
    text: statementFor(shape, input),
    values: [projectId, lastPulledAt],
  });
  const row = result.rows[0];
  if (!row) throw new SyncError('NOT_FOUND', `project ${projectId} does not exist`);
  const changes: SyncChanges = {};
  for (const table of input.tables.keys()) changes[table] = row[table]!;
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

  async pull(input: PullInput): Promise<PullOutcome> {
    const { projectId, lastPulledAt } = input;
    const clock = await this.options.pool.query<{ clock: number }>({
      name: 'clapper-read-clock',
      text: readClockStatement,
      values: [projectId],
    });
    const current = clock.rows[0]?.clock;
    if (current === undefined) throw new SyncError('NOT_FOUND', `project ${projectId} does not exist`);
    const key = `${projectId}\u0000${lastPulledAt ?? 'first'}\u0000${current}\u0000${shapeOf(input)}`;
    const existing = this.results.get(key);
    if (existing) return { response: await existing, shared: true };
    const computing = readPull(this.options.pool, input);
    this.results.set(key, computing);
    computing.then(
      () => setTimeout(() => this.results.delete(key), this.options.reuseMs ?? 1000).unref(),
      () => this.results.delete(key),
    );
    return { response: await computing, shared: false };
  }
}
