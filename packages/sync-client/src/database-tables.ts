import type { Database } from '@nozbe/watermelondb';
import { type TableName, tableNames } from '@clapper/schema';

/**
 * The synced tables this local database has. A database opened on an older schema (an
 * older app, or one not yet migrated) lacks the tables added since; sync reads only its own.
 */
export function syncedTablesOf(database: Database): TableName[] {
  return tableNames.filter((table) => Object.prototype.hasOwnProperty.call(database.schema.tables, table));
}
