/**
 * A batch's writes, grouped so each group is one statement: per table, records sending
 * the same columns and changing the same columns share an upsert; deletes share one.
 * Every record keeps the id of the push it came from (the one-statement path writes only
 * rows of fresh pushes).
 */
import { type RecordWrite, type TableName, tableNames } from '@clapper/schema';
import type { ValidatedPush } from './apply-push.ts';

export interface UpsertGroup {
  readonly table: TableName;
  readonly sent: readonly string[];
  readonly changed: readonly string[];
  readonly pushIds: string[];
  readonly writes: RecordWrite[];
}

export interface DeleteGroup {
  readonly table: TableName;
  readonly pushIds: string[];
  readonly ids: string[];
}

export function groupWrites(pushes: readonly ValidatedPush[]): { upserts: UpsertGroup[]; deletes: DeleteGroup[] } {
  const upserts: UpsertGroup[] = [];
  const deletes: DeleteGroup[] = [];
  for (const table of tableNames) {
    const groups = new Map<string, UpsertGroup>();
    const deleted: DeleteGroup = { table, pushIds: [], ids: [] };
    for (const push of pushes) {
      const writes = push.changes[table];
      if (!writes) continue;
      for (const write of writes.upserts) {
        const sent = Object.keys(write.values);
        const key = `${sent.join(',')}|${write.changed.join(',')}`;
        let group = groups.get(key);
        if (!group) groups.set(key, (group = { table, sent, changed: write.changed, pushIds: [], writes: [] }));
        group.pushIds.push(push.pushId);
        group.writes.push(write);
      }
      for (const id of writes.deletes) {
        deleted.pushIds.push(push.pushId);
        deleted.ids.push(id);
      }
    }
    upserts.push(...groups.values());
    if (deleted.ids.length > 0) deletes.push(deleted);
  }
  return { upserts, deletes };
}

/** The group's column arrays, in `upsertStatement` order: ids, then one array per sent column. */
export function columnArraysOf(group: UpsertGroup): unknown[][] {
  return [group.writes.map((w) => w.id), ...group.sent.map((column) => group.writes.map((w) => w.values[column] ?? null))];
}

/**
 * Splits a batch into runs of consecutive pushes that touch disjoint records, so one
 * statement never writes a row twice and a later push's write lands after an earlier one's.
 */
export function layersOf(pushes: readonly ValidatedPush[]): ValidatedPush[][] {
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
