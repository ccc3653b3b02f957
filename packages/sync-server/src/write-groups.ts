/**
 * A batch's writes, as groups that are each one part of the push statement.
 *
 * First, every record the batch touches gets ONE write: a record touched by several
 * pushes gets the write that has the effect of applying them one after another, in
 * arrival order (one statement cannot write a row twice, and its parts don't see each
 * other's writes). Then, per table, writes that send the same columns and change the same
 * columns share an upsert; plain deletes share one soft-delete.
 *
 * Composing writes assumes every push of the batch is fresh (not applied before). The
 * statement checks that for the pushes in `merged` and fails when one was not, and the
 * queue then applies the batch push by push (rare: a retry that overlaps another push).
 */
import { type RecordWrite, type TableName, columnNamesOf, tableNames } from '@clapper/schema';
import type { ValidatedPush } from './sync-request.ts';

/**
 * What an upsert does about deletion, from the deletes composed into it:
 * `none`, a plain upsert; `existing`, a live record is soft-deleted, a missing one is
 * inserted live (a delete came before the first upsert); `both`, a missing record is
 * inserted already deleted too (a delete came after an upsert).
 */
export type UpsertDeletes = 'none' | 'existing' | 'both';

export interface UpsertGroup {
  readonly table: TableName;
  readonly sent: readonly string[];
  readonly changed: readonly string[];
  readonly deletes: UpsertDeletes;
  /** Per write, the push it came from (for a merged write, its last push): only fresh pushes' rows are written. */
  readonly pushIds: string[];
  readonly writes: RecordWrite[];
}

export interface DeleteGroup {
  readonly table: TableName;
  readonly pushIds: string[];
  readonly ids: string[];
}

export interface BatchWrites {
  readonly upserts: UpsertGroup[];
  readonly deletes: DeleteGroup[];
  /** Pushes whose writes were merged with another push's; the statement requires them all fresh. */
  readonly merged: string[];
}

type Value = RecordWrite['values'][string];

/** The effect of a run of writes to one record, for each state the record may be in. */
interface Composed {
  /** If the record does not exist: stays absent (null), or is inserted with these values. */
  absent: { values: Record<string, Value>; deleted: boolean } | null;
  /** If the record exists and is live: these columns are set, and it may end deleted. A soft-deleted record never changes. */
  live: { set: Record<string, Value>; deleted: boolean };
}

type Op = { readonly pushId: string; readonly write: RecordWrite } | { readonly pushId: string; readonly write: null };

export function groupWrites(pushes: readonly ValidatedPush[]): BatchWrites {
  const upserts: UpsertGroup[] = [];
  const deletes: DeleteGroup[] = [];
  const merged = new Set<string>();
  for (const table of tableNames) {
    const ops = new Map<string, Op[]>();
    for (const push of pushes) {
      const writes = push.changes[table];
      if (!writes) continue;
      for (const write of writes.upserts) opsOf(ops, write.id).push({ pushId: push.pushId, write });
      for (const id of writes.deletes) opsOf(ops, id).push({ pushId: push.pushId, write: null });
    }
    if (ops.size === 0) continue;
    const groups = new Map<string, UpsertGroup>();
    const deleted: DeleteGroup = { table, pushIds: [], ids: [] };
    for (const [id, run] of ops) {
      const last = run[run.length - 1]!;
      if (run.length > 1) for (const op of run) merged.add(op.pushId);
      const upsert = run.length === 1 ? plainUpsert(last) : composedUpsert(table, id, run);
      if (!upsert) {
        deleted.pushIds.push(last.pushId);
        deleted.ids.push(id);
        continue;
      }
      const { write, deletes: deletion } = upsert;
      const sent = Object.keys(write.values);
      const key = `${sent.join(',')}|${write.changed.join(',')}|${deletion}`;
      let group = groups.get(key);
      if (!group)
        groups.set(key, (group = { table, sent, changed: write.changed, deletes: deletion, pushIds: [], writes: [] }));
      group.pushIds.push(last.pushId);
      group.writes.push(write);
    }
    upserts.push(...groups.values());
    if (deleted.ids.length > 0) deletes.push(deleted);
  }
  return { upserts, deletes, merged: [...merged] };
}

function opsOf(ops: Map<string, Op[]>, id: string): Op[] {
  let run = ops.get(id);
  if (!run) ops.set(id, (run = []));
  return run;
}

function plainUpsert(op: Op): { write: RecordWrite; deletes: UpsertDeletes } | null {
  return op.write ? { write: op.write, deletes: 'none' } : null;
}

/** Several pushes' writes to one record as one upsert (or null: only deletes, a plain soft-delete). */
function composedUpsert(
  table: TableName,
  id: string,
  run: readonly Op[],
): { write: RecordWrite; deletes: UpsertDeletes } | null {
  const state: Composed = { absent: null, live: { set: {}, deleted: false } };
  for (const { write } of run) {
    if (!write) {
      if (state.absent) state.absent.deleted = true;
      state.live.deleted = true;
      continue;
    }
    if (!state.absent) state.absent = { values: { ...write.values }, deleted: false };
    else if (!state.absent.deleted) for (const c of write.changed) state.absent.values[c] = write.values[c] ?? null;
    if (!state.live.deleted) for (const c of write.changed) state.live.set[c] = write.values[c] ?? null;
  }
  const { absent, live } = state;
  if (!absent) return null;
  // Invariant: `live.set` is a subset of `absent.values` with equal values (both take the
  // same writes until the first delete, or `live` took none), so one row of values serves both.
  const columns = columnNamesOf(table);
  const write: RecordWrite = {
    id,
    values: Object.fromEntries(columns.filter((c) => c in absent.values).map((c) => [c, absent.values[c]!])),
    changed: columns.filter((c) => c in live.set),
  };
  return { write, deletes: absent.deleted ? 'both' : live.deleted ? 'existing' : 'none' };
}

/** The group's column arrays, in statement order: ids, then one array per sent column. */
export function columnArraysOf(group: UpsertGroup): unknown[][] {
  return [
    group.writes.map((w) => w.id),
    ...group.sent.map((column) => group.writes.map((w) => w.values[column] ?? null)),
  ];
}
