/**
 * One push transaction for a batch of pushes to one project: stamp (taking the
 * project's row lock), record the push ids, apply every fresh push's writes, commit.
 * All or nothing: any failure rolls the whole batch back.
 */
import type { PoolClient } from '@clapper/db';
import { type RecordWrite, type TableName, type ValidatedChanges, tableNames } from '@clapper/schema';
import { appliedPushesStatement, stampStatement } from './project-clock.ts';
import { SyncError } from './sync-error.ts';
import { softDeleteStatement, upsertStatement } from './table-statements.ts';

export interface ValidatedPush {
  readonly pushId: string;
  readonly changes: ValidatedChanges;
  readonly recordCount: number;
}

export interface BatchResult {
  /** Per push, in order: its stamp, or the first result's stamp when its pushId was already applied. */
  readonly timestamps: number[];
  /** Set when the transaction committed new writes (then `onCommitted` is due). */
  readonly committedAt: number | null;
  readonly freshPushes: number;
  readonly records: number;
}

export type AfterStamp = (projectId: string, timestamp: number) => Promise<void>;

export async function applyPushBatch(
  client: PoolClient,
  projectId: string,
  pushes: readonly ValidatedPush[],
  afterStamp?: AfterStamp,
): Promise<BatchResult> {
  await client.query('BEGIN');
  try {
    const pushIds = pushes.map((p) => p.pushId);
    const stamped = await client.query<{ clock: number; fresh: string[] }>({ name: 'clapper-stamp', text: stampStatement, values: [projectId, pushIds] });
    const row = stamped.rows[0];
    if (!row) throw new SyncError('NOT_FOUND', `project ${projectId} does not exist`);
    const stamp = row.clock;
    const fresh = new Set(row.fresh);
    const earlier = new Map<string, number>();
    if (fresh.size < pushes.length) {
      const applied = await client.query<{ push_id: string; timestamp: number }>(appliedPushesStatement, [
        projectId,
        pushIds.filter((id) => !fresh.has(id)),
      ]);
      for (const r of applied.rows) earlier.set(r.push_id, r.timestamp);
    }
    if (afterStamp) await afterStamp(projectId, stamp);
    const freshPushes = pushes.filter((p) => fresh.has(p.pushId));
    for (const layer of layersOf(freshPushes)) await applyLayer(client, projectId, stamp, layer);
    if (freshPushes.length > 0) await client.query('COMMIT');
    // Nothing new to write: give the clock bump back.
    else await client.query('ROLLBACK');
    return {
      timestamps: pushes.map((p) => (fresh.has(p.pushId) ? stamp : (earlier.get(p.pushId) ?? stamp))),
      committedAt: freshPushes.length > 0 ? stamp : null,
      freshPushes: freshPushes.length,
      records: freshPushes.reduce((n, p) => n + p.recordCount, 0),
    };
  } catch (error) {
    // After a failed COMMIT the server has already rolled back; ROLLBACK then only warns.
    await client.query('ROLLBACK').catch(() => undefined);
    throw toSyncError(error, pushes);
  }
}

/**
 * Splits a batch into runs of consecutive pushes that touch disjoint records, so one
 * statement never writes a row twice and a later push's write lands after an earlier one's.
 */
function layersOf(pushes: readonly ValidatedPush[]): ValidatedPush[][] {
  const layers: ValidatedPush[][] = [];
  let current: ValidatedPush[] = [];
  let touched = new Set<string>();
  for (const push of pushes) {
    const keys: string[] = [];
    for (const [table, writes] of Object.entries(push.changes)) {
      for (const w of writes.upserts) keys.push(`${table}/${w.id}`);
      for (const id of writes.deletes) keys.push(`${table}/${id}`);
    }
    if (keys.some((k) => touched.has(k))) {
      layers.push(current);
      current = [];
      touched = new Set();
    }
    current.push(push);
    for (const k of keys) touched.add(k);
  }
  if (current.length > 0) layers.push(current);
  return layers;
}

async function applyLayer(client: PoolClient, projectId: string, stamp: number, layer: readonly ValidatedPush[]) {
  for (const table of tableNames) {
    // Records sending the same columns and changing the same columns share one statement.
    const groups = new Map<string, { sent: string[]; changed: readonly string[]; writes: RecordWrite[] }>();
    const deletes: string[] = [];
    for (const push of layer) {
      const writes = push.changes[table];
      if (!writes) continue;
      for (const w of writes.upserts) {
        const sent = Object.keys(w.values);
        const key = `${sent.join(',')}|${w.changed.join(',')}`;
        const group = groups.get(key);
        if (group) group.writes.push(w);
        else groups.set(key, { sent, changed: w.changed, writes: [w] });
      }
      deletes.push(...writes.deletes);
    }
    for (const { sent, changed, writes } of groups.values()) {
      const params: unknown[] = [projectId, stamp, writes.map((w) => w.id)];
      for (const column of sent) params.push(writes.map((w) => w.values[column] ?? null));
      await client.query(upsertStatement(table, sent, changed), params);
    }
    if (deletes.length > 0) {
      await client.query({ name: `clapper-delete-${table}`, text: softDeleteStatement(table), values: [projectId, stamp, deletes] });
    }
  }
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
  if (!match) return `${table} names a record that does not exist in this project (${error.message}); nothing was written`;
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
  const which = records.length ? `record ${records.slice(0, 5).join(', ')}${records.length > 5 ? ', …' : ''}` : 'a record';
  return `${table}.${column} of ${which} names ${target} "${missing}", which does not exist in this project; nothing was written`;
}
