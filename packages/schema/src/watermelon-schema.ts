import { appSchema, tableSchema } from '@nozbe/watermelondb';
import type { AppSchema, ColumnSchema, TableSchema } from '@nozbe/watermelondb/Schema';
import { type MigrationStep, addColumns, createTable, schemaMigrations } from '@nozbe/watermelondb/Schema/migrations';
import {
  type ColumnSpec,
  type TableName,
  columnAddedIn,
  columnsOf,
  schemaVersion,
  tableAddedIn,
  tableNames,
  tableNamesAt,
} from './tables.ts';

function columnSchemaOf(name: string, spec: ColumnSpec): ColumnSchema {
  return {
    name,
    type: spec.type,
    ...(spec.optional ? { isOptional: true } : {}),
    ...(spec.indexed ? { isIndexed: true } : {}),
  };
}

function columnSchemasOf(table: TableName, which: (column: string) => boolean = () => true): ColumnSchema[] {
  return Object.entries(columnsOf(table))
    .filter(([column]) => which(column))
    .map(([column, spec]) => columnSchemaOf(column, spec));
}

/**
 * The WatermelonDB schema a client on `version` has: the tables and columns added up to
 * it. Tests open older clients' databases with it.
 */
export function watermelonSchemaAt(version: number): AppSchema {
  return appSchema({
    version,
    tables: tableNamesAt(version).map((table): TableSchema =>
      tableSchema({
        name: table,
        columns: columnSchemasOf(table, (column) => columnAddedIn(table, column) <= version),
      }),
    ),
  });
}

/** The client's WatermelonDB schema, derived from `syncedTables`. */
export const watermelonSchema = watermelonSchemaAt(schemaVersion);

/** The steps that take a local database from `version - 1` to `version`: new tables, then new columns. */
function stepsTo(version: number): MigrationStep[] {
  const steps: MigrationStep[] = [];
  for (const table of tableNames) {
    if (tableAddedIn(table) === version) steps.push(createTable({ name: table, columns: columnSchemasOf(table) }));
  }
  for (const table of tableNames) {
    if (tableAddedIn(table) >= version) continue;
    const columns = columnSchemasOf(table, (column) => columnAddedIn(table, column) === version);
    if (columns.length > 0) steps.push(addColumns({ table, columns }));
  }
  return steps;
}

/**
 * Local schema migrations, derived from the `addedIn` marks of `syncedTables`: one step
 * per `schemaVersion` bump after 1. WatermelonDB also reports them to the sync pull
 * (`migration`), so the server sends the new tables and columns in full.
 */
export const watermelonMigrations = schemaMigrations({
  migrations: Array.from({ length: schemaVersion - 1 }, (_, i) => i + 2).map((toVersion) => ({
    toVersion,
    steps: stepsTo(toVersion),
  })),
});
