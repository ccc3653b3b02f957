import { appSchema, tableSchema } from '@nozbe/watermelondb';
import { schemaMigrations } from '@nozbe/watermelondb/Schema/migrations';
import { schemaVersion, syncedTables } from './tables.ts';

/** The client's WatermelonDB schema, derived from `syncedTables`. */
export const watermelonSchema = appSchema({
  version: schemaVersion,
  tables: Object.entries(syncedTables).map(([name, table]) =>
    tableSchema({
      name,
      columns: Object.entries(table.columns).map(([column, spec]) => ({
        name: column,
        type: spec.type,
        ...('optional' in spec && spec.optional ? { isOptional: true } : {}),
        ...('indexed' in spec && spec.indexed ? { isIndexed: true } : {}),
      })),
    }),
  ),
});

/** Local schema migrations; one step per `schemaVersion` bump after 1. */
export const watermelonMigrations = schemaMigrations({ migrations: [] });
