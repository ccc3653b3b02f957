/**
 * One batch of pushes to one project, all or nothing, as one statement
 * (`push-statement.ts`): stamp (taking the project's row lock), record the push ids,
 * apply every fresh push's writes, commit. Any failure writes nothing.
 */
import type { PoolClient } from '@clapper/db';
import {
  type RawRecord,
  type SyncChanges,
  type TableName,
  nudgeChangesLimits,
  schemaVersion,
  tableNamesAt,
} from '@clapper/schema';
import { appliedPushesStatement } from './project-clock.ts';
import { type PushStatements, mergedPushRetriedMarker } from './push-statement.ts';
import { SyncError } from './sync-error.ts';
import type { ValidatedPush } from './sync-request.ts';

export interface BatchResult {
  /** Per push, in order: its stamp, or the first result's stamp when its pushId was already applied. */
  readonly timestamps: number[];
  /** Set when the statement committed new writes (then `onCommitted` is due). */
  readonly committedAt: number | null;
  /** The project's clock before this batch: a device that pulled up to it needs exactly this batch's changes. */
  readonly previous: number;
  readonly freshPushes: number;
  readonly records: number;
  /**
   * The commit's changes, exactly as a pull from `previous` at the server's schema
   * version answers them at `committedAt`; null when nothing was committed, when the
   * batch held more than `nudgeChangesLimits.maxRecords` records, or when no nudge would
   * carry them (nobody listens to the project; they were not read).
   */
  readonly changes: SyncChanges | null;
}

/** A row the push statement wrote (`push-statement.ts`). */
interface ChangedRow {
  table: TableName;
  id: string;
  live: boolean;
  raw: RawRecord;
}

/** The rows a commit wrote as a pull response names them: live ones updated, soft-deleted ones by id. */
function changesOf(rows: readonly ChangedRow[]): SyncChanges {
  const changes: SyncChanges = {};
  for (const table of tableNamesAt(schemaVersion)) changes[table] = { created: [], updated: [], deleted: [] };
  for (const row of rows) {
    const table = changes[row.table]!;
    if (row.live) table.updated.push(row.raw);
    else table.deleted.push(row.id);
  }
  return changes;
}

/**
 * A batch whose writes were merged assuming every push fresh, when one was not (a retry
 * of a push applied before). Nothing was written; the queue applies the batch push by push.
 */
export class MergedPushRetried extends Error {
  constructor(cause: unknown) {
    super('a push merged with others in its batch was applied before', { cause });
    this.name = 'MergedPushRetried';
  }
}

export async function applyPushBatch(
  client: PoolClient,
  statements: PushStatements,
  projectId: string,
  pushes: readonly ValidatedPush[],
  /** False when no nudge could carry the changes (nobody listens): they are not returned. */
  wantsChanges = true,
): Promise<BatchResult> {
  // Small commits also return what they wrote, which their nudge carries (S11).
  const withChanges = wantsChanges && pushes.reduce((n, p) => n + p.recordCount, 0) <= nudgeChangesLimits.maxRecords;
  type Row = { clock: number; previous: number; fresh: string[]; changes?: ChangedRow[] };
  let row: Row | undefined;
  try {
    row = (await client.query<Row>(statements.statementFor(projectId, pushes, withChanges))).rows[0];
  } catch (error) {
    throw toSyncError(error, pushes);
  }
  if (!row) throw new SyncError('NOT_FOUND', `project ${projectId} does not exist`);
  const fresh = new Set(row.fresh);
  const changes = withChanges && fresh.size > 0 ? changesOf(row.changes ?? []) : null;
  return resultOf(
    pushes,
    fresh,
    await earlierTimestamps(client, projectId, pushes, fresh),
    row.clock,
    row.previous,
    changes,
  );
}

/** The first result's stamp of each push whose id was already applied. */
async function earlierTimestamps(
  client: PoolClient,
  projectId: string,
  pushes: readonly ValidatedPush[],
  fresh: ReadonlySet<string>,
) {
  const earlier = new Map<string, number>();
  const repeated = pushes.filter((p) => !fresh.has(p.pushId)).map((p) => p.pushId);
  if (repeated.length === 0) return earlier;
  const applied = await client.query<{ push_id: string; timestamp: number }>(appliedPushesStatement, [
    projectId,
    repeated,
  ]);
  for (const r of applied.rows) earlier.set(r.push_id, r.timestamp);
  return earlier;
}

function resultOf(
  pushes: readonly ValidatedPush[],
  fresh: ReadonlySet<string>,
  earlier: ReadonlyMap<string, number>,
  stamp: number,
  previous: number,
  changes: SyncChanges | null,
): BatchResult {
  const freshPushes = pushes.filter((p) => fresh.has(p.pushId));
  return {
    timestamps: pushes.map((p) => (fresh.has(p.pushId) ? stamp : (earlier.get(p.pushId) ?? stamp))),
    committedAt: freshPushes.length > 0 ? stamp : null,
    previous,
    freshPushes: freshPushes.length,
    records: freshPushes.reduce((n, p) => n + p.recordCount, 0),
    changes,
  };
}

interface PgError {
  code?: string;
  table?: string;
  constraint?: string;
  detail?: string;
  message: string;
}

function isPgError(error: unknown): error is PgError {
  return error instanceof Error && typeof (error as PgError).code === 'string';
}

/** Data problems PostgreSQL found become BAD_REQUEST naming the record; anything else stays a server fault. */
function toSyncError(error: unknown, pushes: readonly ValidatedPush[]): unknown {
  if (error instanceof SyncError || !isPgError(error)) return error;
  if (error.message.includes(mergedPushRetriedMarker)) return new MergedPushRetried(error);
  const code = error.code ?? '';
  if (code === '23503' && error.table) return new SyncError('BAD_REQUEST', describeMissingReference(error, pushes));
  // Class 22 (data exception) and 23 (integrity violation) are the client's input.
  if (code.startsWith('22') || code.startsWith('23')) {
    return new SyncError('BAD_REQUEST', `the push was refused by the database: ${error.message}; nothing was written`);
  }
  return error;
}

function describeMissingReference(error: PgError, pushes: readonly ValidatedPush[]): string {
  // detail: Key (project_id, scene_id)=(<project>, <id>) is not present in table "scenes".
  const match = /^Key \(project_id, (\w+)\)=\((.*)\) is not present in table "(\w+)"/.exec(error.detail ?? '');
  const table = error.table as string;
  if (!match)
    return `${table} names a record that does not exist in this project (${error.message}); nothing was written`;
  const [, column = '', values = '', target = ''] = match;
  const missing = values.slice(values.lastIndexOf(', ') + 2);
  const records: string[] = [];
  for (const push of pushes) {
    for (const w of push.changes[table as TableName]?.upserts ?? []) {
      if (w.values[column] === missing || (missing === '' && !(column in w.values))) records.push(w.id);
    }
  }
  if (missing === '') {
    const which = records.length ? ` (record ${records.slice(0, 5).join(', ')})` : '';
    return `${table}.${column} must name a ${target.replace(/s$/, '')} of this project; a new record without it has none${which}; nothing was written`;
  }
  const which = records.length
    ? `record ${records.slice(0, 5).join(', ')}${records.length > 5 ? ', …' : ''}`
    : 'a record';
  return `${table}.${column} of ${which} names ${target} "${missing}", which does not exist in this project; nothing was written`;
}
