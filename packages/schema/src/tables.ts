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
  /** The schema version that added this column to an existing table (absent: the table's own). */
  readonly addedIn?: number;
}

export interface TableSpec {
  readonly columns: Readonly<Record<string, ColumnSpec>>;
  /** The schema version that added this table (absent: 1). */
  readonly addedIn?: number;
}

const str = { type: 'string' } as const;
const num = { type: 'number', optional: true } as const;
const sortKey = { type: 'string', indexed: true } as const;
const ref = <T extends string>(table: T) => ({ type: 'string', indexed: true, references: table }) as const;

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
      /** True once the AD locks scene numbers: a scene added later gets 10A, not a renumbering. */
      number_locked: { type: 'boolean', addedIn: 2 },
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
  // Schema version 2 (issue 11): cast & crew, breakdown, call sheets.
  people: {
    addedIn: 2,
    columns: {
      name: str,
      department: str,
      /** The part for cast, the job for crew. */
      role: str,
      email: str,
      phone: str,
      notes: str,
      /** The cast id on the board and call sheet (1 = lead); null for crew. */
      cast_number: num,
    },
  },
  castings: {
    addedIn: 2,
    columns: {
      person_id: ref('people'),
      /** The folded cue name: upper case, no (V.O.)/(CONT'D). */
      character: str,
    },
  },
  breakdown_items: {
    addedIn: 2,
    columns: {
      scene_id: ref('scenes'),
      /** 'extras' | 'props' | 'wardrobe' | 'vehicles' | 'other' */
      category: str,
      name: str,
      notes: str,
    },
  },
  call_sheets: {
    addedIn: 2,
    columns: {
      day_banner_id: ref('day_banners'),
      crew_call: str,
      shooting_call: str,
      /** Multi-line: name, address. */
      locations: str,
      parking: str,
      hospital: str,
      weather: str,
      notes: str,
    },
  },
  cast_calls: {
    addedIn: 2,
    columns: {
      call_sheet_id: ref('call_sheets'),
      person_id: ref('people'),
      pickup: str,
      makeup: str,
      on_set: str,
      notes: str,
    },
  },
  crew_calls: {
    addedIn: 2,
    columns: {
      call_sheet_id: ref('call_sheets'),
      person_id: ref('people'),
      call: str,
      notes: str,
    },
  },
} as const satisfies Record<string, TableSpec>;

export type TableName = keyof typeof syncedTables;
export const tableNames = Object.keys(syncedTables) as TableName[];

/** Columns every synced table has on the server; clients never write them. */
export const serverManagedColumns = ['project_id', 'created_at', 'updated_at', 'deleted_at'] as const;

/**
 * Bumped whenever a synced table or column is added (marked `addedIn` with the new
 * version); the WatermelonDB migrations and what a pull sends an older client follow it.
 */
export const schemaVersion = 2;

export function isTableName(name: string): name is TableName {
  return Object.prototype.hasOwnProperty.call(syncedTables, name);
}

export function columnsOf(table: TableName): Readonly<Record<string, ColumnSpec>> {
  return syncedTables[table].columns;
}

export function columnNamesOf(table: TableName): string[] {
  return Object.keys(syncedTables[table].columns);
}

/** The version that added `table` (1 for the original tables). */
export function tableAddedIn(table: TableName): number {
  const spec: TableSpec = syncedTables[table];
  return spec.addedIn ?? 1;
}

/** The version that added `column` of `table`. */
export function columnAddedIn(table: TableName, column: string): number {
  const spec: ColumnSpec | undefined = columnsOf(table)[column];
  return spec?.addedIn ?? tableAddedIn(table);
}

/** The synced tables a client on schema `version` has. */
export function tableNamesAt(version: number): TableName[] {
  return tableNames.filter((table) => tableAddedIn(table) <= version);
}

/** The columns of `table` a client on schema `version` has. */
export function columnNamesAt(table: TableName, version: number): string[] {
  return columnNamesOf(table).filter((column) => columnAddedIn(table, column) <= version);
}
