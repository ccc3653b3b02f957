'use client';
import type { Database } from '@nozbe/watermelondb';
import { type RecordSnapshot, type TableName, columnNamesOf, propertyNameOf } from '@clapper/schema';
import { useEffect, useRef, useState } from 'react';

/** A plain snapshot of a record: `id` plus every column as a camelCase property. */
type Plain = { id: string } & Record<string, unknown>;

function toPlain(table: TableName, raw: Record<string, unknown>, previous: Plain | undefined): Plain {
  const columns = columnNamesOf(table);
  // Unchanged records keep their snapshot object, so memoized rows skip re-rendering.
  if (previous && columns.every((column) => Object.is(previous[propertyNameOf(column)], raw[column]))) return previous;
  const plain: Plain = { id: raw.id as string };
  for (const column of columns) plain[propertyNameOf(column)] = raw[column];
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
        const next = new Map<string, Plain>();
        for (const model of models) {
          next.set(
            model.id,
            toPlain(table, model._raw as unknown as Record<string, unknown>, snapshots.current.get(model.id)),
          );
        }
        snapshots.current = next;
        // toPlain copies exactly the schema's columns of `table`, which RecordSnapshot<T> derives.
        setRecords([...next.values()] as unknown as RecordSnapshot<T>[]);
      });
    return () => subscription.unsubscribe();
  }, [database, table]);
  return records;
}
