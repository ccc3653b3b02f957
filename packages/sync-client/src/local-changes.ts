import { type Database, type Model, Q } from '@nozbe/watermelondb';
import { sanitizedRaw } from '@nozbe/watermelondb/RawRecord';
import type { RawRecord, SyncChanges } from '@clapper/schema';
import { syncedTablesOf } from './database-tables.ts';

const dirtyStatuses = ['created', 'updated'];

function rawOf(record: Model): RawRecord {
  return { ...(record._raw as unknown as RawRecord) };
}

/**
 * The local changes exactly as WatermelonDB's synchronize() would push them (full raws
 * with `_status`/`_changed`), read in one reader so no write interleaves.
 */
export function readLocalChanges(database: Database): Promise<SyncChanges> {
  return database.read(async () => {
    const changes: SyncChanges = {};
    for (const table of syncedTablesOf(database)) {
      const collection = database.get(table);
      const [created, updated, deleted] = await Promise.all([
        collection.query(Q.where('_status', 'created')).fetch(),
        collection.query(Q.where('_status', 'updated')).fetch(),
        database.adapter.getDeletedRecords(table),
      ]);
      changes[table] = { created: created.map(rawOf), updated: updated.map(rawOf), deleted };
    }
    return changes;
  }, 'sync-client-readLocalChanges');
}

/** Records created, updated or deleted locally and not yet acknowledged by the server. */
export async function countPendingChanges(database: Database): Promise<number> {
  let count = 0;
  for (const table of syncedTablesOf(database)) {
    const collection = database.get(table);
    const [dirty, deleted] = await Promise.all([
      collection.query(Q.where('_status', Q.oneOf(dirtyStatuses))).fetchCount(),
      database.adapter.getDeletedRecords(table),
    ]);
    count += dirty + deleted.length;
  }
  return count;
}

function sameRaw(left: Record<string, unknown>, right: Record<string, unknown>): boolean {
  const leftKeys = Object.keys(left);
  if (leftKeys.length !== Object.keys(right).length) return false;
  return leftKeys.every((key) => left[key] === right[key]);
}

/**
 * After the server acknowledged `changes`, marks those records synced — but only the
 * ones still exactly as pushed: a record edited since stays dirty and goes out next.
 * The same rule WatermelonDB's own markLocalChangesAsSynced applies.
 */
export async function markChangesAsSynced(database: Database, changes: SyncChanges): Promise<void> {
  await database.write(async () => {
    const prepared: Model[] = [];
    for (const [table, tableChanges] of Object.entries(changes)) {
      const pushed = [...tableChanges.created, ...tableChanges.updated];
      if (pushed.length > 0) {
        const collection = database.get(table);
        const records = await collection.query(Q.where('id', Q.oneOf(pushed.map((raw) => raw.id)))).fetch();
        const byId = new Map(records.map((record) => [record.id, record]));
        for (const raw of pushed) {
          const record = byId.get(raw.id);
          if (!record || !sameRaw(record._raw as unknown as Record<string, unknown>, raw)) continue;
          const syncedRaw = sanitizedRaw({ ...record._raw, _status: 'synced', _changed: '' }, collection.schema);
          prepared.push(
            record.prepareUpdate(() => {
              (record as unknown as { _raw: unknown })._raw = syncedRaw;
            }),
          );
        }
      }
      if (tableChanges.deleted.length > 0) {
        const stillDeleted = new Set(await database.adapter.getDeletedRecords(table));
        const ids = tableChanges.deleted.filter((id) => stillDeleted.has(id));
        if (ids.length > 0) await database.adapter.destroyDeletedRecords(table, ids);
      }
    }
    if (prepared.length > 0) await database.batch(prepared);
  }, 'sync-client-markChangesAsSynced');
}
