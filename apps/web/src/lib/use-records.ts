'use client';
import type { Database, Model } from '@nozbe/watermelondb';
import { type RecordSnapshot, type TableName, columnNamesOf, propertyNameOf } from '@clapper/schema';
import { startTransition, useEffect, useState } from 'react';

/** Set while a cell's commit writes (`writeBeforeRender`): what it changes renders as one transition. */
let deferringRender = false;
/** State updates to make in the same render as the deferred records (the cell's draft cleared). */
let withDeferred: (() => void)[] = [];

function flushWithDeferred(): void {
  const updates = withDeferred;
  withDeferred = [];
  for (const update of updates) update();
}

/**
 * Runs `write` (a local write started by a key press or a blur) so that the records it
 * changes render after the sync it starts has sent its push, together with `alongside`
 * (state updates that must not show before the new records). Inside a key or focus event
 * React renders every update at once, in the same microtasks as the write, so the whole
 * board re-rendered before the engine's push went out (C2 starts it in a microtask after
 * the write); as one transition it renders in a task after them, before or with the next
 * frame. Emissions of other writes (a pull, a nudge) render as before.
 */
export function writeBeforeRender(write: () => void, alongside: () => void): void {
  deferringRender = true;
  withDeferred.push(alongside);
  try {
    write();
  } finally {
    // The write's emissions come in this task's microtasks; a timer runs after all of them.
    // A write that changed no observed column emitted nothing: `alongside` goes then.
    setTimeout(() => {
      deferringRender = false;
      flushWithDeferred();
    }, 0);
  }
}

/** A plain snapshot of a record: `id` plus every column as a camelCase property. */
export type Plain = { id: string } & Record<string, unknown>;

/** Each column of a table with its camelCase property name, worked out once per table. */
const fieldsOfTable = new Map<TableName, readonly (readonly [column: string, property: string])[]>();
function fieldsOf(table: TableName): readonly (readonly [string, string])[] {
  let fields = fieldsOfTable.get(table);
  if (!fields) {
    fields = columnNamesOf(table).map((column) => [column, propertyNameOf(column)] as const);
    fieldsOfTable.set(table, fields);
  }
  return fields;
}

/**
 * The snapshot of `raw`: `previous` itself when no column differs (unchanged records keep
 * their snapshot object, so memoized rows skip re-rendering), else a new one. The property
 * names are worked out once per table.
 */
function toPlain(
  fields: readonly (readonly [string, string])[],
  raw: Record<string, unknown>,
  previous: Plain | undefined,
): Plain {
  if (previous) {
    let same = true;
    for (const [column, property] of fields) {
      if (!Object.is(previous[property], raw[column])) {
        same = false;
        break;
      }
    }
    if (same) return previous;
  }
  const plain: Plain = { id: raw.id as string };
  for (const [column, property] of fields) plain[property] = raw[column];
  return plain;
}

const rawOf = (model: Model) => model._raw as unknown as Record<string, unknown>;

/**
 * Calls `onRecords` with plain snapshots of every record of `table` (in the query's order),
 * first once the query has answered, then after every create, delete or column change,
 * from local writes and from pulls alike; returns the unsubscribe.
 *
 * The work per change is proportional to the change: the query is observed for which
 * records there are (it emits only when that changes), and the collection's change sets
 * for the records updated, whose snapshots alone are replaced (the array is copied, every
 * other snapshot object kept). A create or delete re-reads the whole table.
 */
export function subscribeToSnapshots(
  database: Database,
  table: TableName,
  onRecords: (records: readonly Plain[]) => void,
): () => void {
  const collection = database.get(table);
  const fields = fieldsOf(table);
  /** Null until the query's first answer: updates before it are in what it reads. */
  let snapshots: Plain[] | null = null;
  let indexOf = new Map<string, number>();
  // Subscribed before the query, so this runs first for a change set: a set that also
  // creates or deletes is then emitted again, whole, by the query right after.
  const unsubscribeChanges = collection.experimentalSubscribe((changeSet) => {
    if (snapshots === null) return;
    let next: Plain[] | null = null;
    for (const { record, type } of changeSet) {
      if (type !== 'updated') continue;
      const index = indexOf.get(record.id);
      if (index === undefined) continue;
      const previous = (next ?? snapshots)[index];
      const plain = toPlain(fields, rawOf(record), previous);
      if (plain !== previous) (next ??= snapshots.slice())[index] = plain;
    }
    if (next) {
      snapshots = next;
      onRecords(next);
    }
  });
  const subscription = collection
    .query()
    .observe()
    .subscribe((models) => {
      const previousAt = indexOf;
      const previous = snapshots;
      const next: Plain[] = [];
      indexOf = new Map();
      for (const model of models) {
        const at = previousAt.get(model.id);
        indexOf.set(model.id, next.length);
        next.push(toPlain(fields, rawOf(model), at === undefined || !previous ? undefined : previous[at]));
      }
      snapshots = next;
      onRecords(next);
    });
  return () => {
    subscription.unsubscribe();
    unsubscribeChanges();
  };
}

/**
 * Live plain snapshots of every record of `table` in the local database (null until the
 * first emission). Re-emits on creates, deletes and any column change, from local writes
 * and from pulls alike (subscribeToSnapshots).
 */
export function useTableRecords<T extends TableName>(database: Database, table: T): RecordSnapshot<T>[] | null {
  const [records, setRecords] = useState<RecordSnapshot<T>[] | null>(null);
  useEffect(
    () =>
      subscribeToSnapshots(database, table, (snapshots) => {
        // toPlain copies exactly the schema's columns of `table`, which RecordSnapshot<T> derives.
        const records = snapshots as unknown as RecordSnapshot<T>[];
        if (!deferringRender) return setRecords(records);
        // One transition (one lane) for the records and what goes with them.
        startTransition(() => {
          setRecords(records);
          flushWithDeferred();
        });
      }),
    [database, table],
  );
  return records;
}
