/**
 * The one definition of every synced table. The WatermelonDB appSchema, the model
 * classes, the push validators and the server's column lists are all derived from
 * this object; prisma/schema.prisma is checked against it by packages/db/src/prisma-agreement.pg.test.ts.
 *
 * Every synced table also has server-managed columns (`project_id`, `created_at`,
 * `updated_at`, `deleted_at`) that clients never write.
 */
export type ColumnType = 'string' | 'number' | 'boolean';

export interface ColumnSpec {
  readonly type: ColumnType;
  /** Nullable: the column may hold null (WatermelonDB `isOptional`). */
  readonly optional?: boolean;
  /** Indexed in the local database (foreign keys, sort keys). */
  readonly indexed?: boolean;
  /** Points at another synced table's id within the same project. */
  readonly references?: string;
}

export interface TableSpec {
  readonly columns: Readonly<Record<string, ColumnSpec>>;
}

const str = { type: 'string' } as const;
const num = { type: 'number', optional: true } as const;
const sortKey = { type: 'string', indexed: true } as const;

export const syncedTables = {
  scenes: {
    columns: {
      number: str,
      heading: str,
      location: str,
      time_of_day: str,
      synopsis: str,
      page_eighths: num,
      sort_key: sortKey,
    },
  },
  shots: {
    columns: {
      scene_id: { type: 'string', indexed: true, references: 'scenes' },
      sort_key: sortKey,
      label: str,
      size: str,
      movement: str,
      lens: str,
      description: str,
      duration_s: num,
      done: { type: 'boolean' },
    },
  },
  day_banners: {
    columns: {
      scene_id: { type: 'string', optional: true, indexed: true, references: 'scenes' },
      sort_key: sortKey,
      date: str,
      label: str,
    },
  },
  scripts: {
    columns: {
      title: str,
    },
  },
} as const satisfies Record<string, TableSpec>;

export type TableName = keyof typeof syncedTables;
export const tableNames = Object.keys(syncedTables) as TableName[];

/** Columns every synced table has on the server; clients never write them. */
export const serverManagedColumns = ['project_id', 'created_at', 'updated_at', 'deleted_at'] as const;

/** Bumped whenever a synced table or column changes; WatermelonDB migrations follow it. */
export const schemaVersion = 1;

export function isTableName(name: string): name is TableName {
  return Object.prototype.hasOwnProperty.call(syncedTables, name);
}

export function columnsOf(table: TableName): Readonly<Record<string, ColumnSpec>> {
  return syncedTables[table].columns;
}

export function columnNamesOf(table: TableName): string[] {
  return Object.keys(syncedTables[table].columns);
}
