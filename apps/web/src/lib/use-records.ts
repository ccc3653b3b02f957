'use client';
import type { Database } from '@nozbe/watermelondb';
import { type RecordSnapshot, type TableName, columnNamesOf, propertyNameOf } from '@clapper/schema';
import { startTransition, useEffect, useRef, useState } from 'react';

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
type Plain = { id: string } & Record<string, unknown>;

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
 * Every record of the table goes through here on every emission (one change re-emits the
 * whole table), so it does no more than compare: the property names are worked out once.
 */
function toPlain(
  fields: readonly (readonly [string, string])[],
  raw: Record<string, unknown>,
  previous: Plain | undefined,
): Plain {
  // Unchanged records keep their snapshot object, so memoized rows skip re-rendering.
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

/**
 * Live plain snapshots of every record of `table` in the local database (null until the
 * first emission). Re-emits on creates, deletes and any column change, from local writes
 * and from pulls alike.
 */
export function useTableRecords<T extends TableName>(database: Database, table: T): RecordSnapshot<T>[] | null {
  const [records, setRecords] = useState<RecordSnapshot<T>[] | null>(null);
  const snapshots = useRef(new Map<string, Plain>());
  useEffect(() => {
    snapshots.current = new Map();
    const subscription = database
      .get(table)
      .query()
      .observeWithColumns(columnNamesOf(table))
      .subscribe((models) => {
        const fields = fieldsOf(table);
        const next = new Map<string, Plain>();
        for (const model of models) {
          next.set(
            model.id,
            toPlain(fields, model._raw as unknown as Record<string, unknown>, snapshots.current.get(model.id)),
          );
        }
        snapshots.current = next;
        // toPlain copies exactly the schema's columns of `table`, which RecordSnapshot<T> derives.
        const records = [...next.values()] as unknown as RecordSnapshot<T>[];
        if (!deferringRender) return setRecords(records);
        // One transition (one lane) for the records and what goes with them.
        startTransition(() => {
          setRecords(records);
          flushWithDeferred();
        });
      });
    return () => subscription.unsubscribe();
  }, [database, table]);
  return records;
}
