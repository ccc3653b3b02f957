'use client';
import type { Database } from '@nozbe/watermelondb';
import { type TableName, columnNamesOf, propertyNameOf } from '@clapper/schema';
import { useEffect, useState } from 'react';

/** A plain snapshot of a record: `id` plus every column as a camelCase property. */
export type Plain = { id: string } & Record<string, unknown>;

function toPlain(table: TableName, raw: Record<string, unknown>): Plain {
  const plain: Plain = { id: raw.id as string };
  for (const column of columnNamesOf(table)) plain[propertyNameOf(column)] = raw[column];
  return plain;
}

/**
 * Live plain snapshots of every record of `table` in the local database (null until the
 * first emission). Re-emits on creates, deletes and any column change, from local writes
 * and from pulls alike.
 */
export function useTableRecords<T extends Plain>(database: Database, table: TableName): T[] | null {
  const [records, setRecords] = useState<T[] | null>(null);
  useEffect(() => {
    const subscription = database
      .get(table)
      .query()
      .observeWithColumns(columnNamesOf(table))
      .subscribe((models) => {
        setRecords(models.map((model) => toPlain(table, model._raw as unknown as Record<string, unknown>) as T));
      });
    return () => subscription.unsubscribe();
  }, [database, table]);
  return records;
}
