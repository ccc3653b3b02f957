import { z } from 'zod';
import { pushLimits, recordIdPattern } from './limits.ts';
import {
  type ColumnSpec,
  type TableName,
  columnNamesOf,
  columnsOf,
  isTableName,
  serverManagedColumns,
  tableNames,
} from './tables.ts';

/** A validated record write: the columns to store and, for updates, which of them changed. */
export interface RecordWrite {
  readonly id: string;
  /** Column values sent by the client (only known, client-writable columns). */
  readonly values: Readonly<Record<string, string | number | boolean | null>>;
  /** Columns to overwrite when the row already exists; every sent column when `_changed` is absent. */
  readonly changed: readonly string[];
}

export interface TableWrites {
  readonly upserts: readonly RecordWrite[];
  readonly deletes: readonly string[];
}

export type ValidatedChanges = Partial<Record<TableName, TableWrites>>;

export type PushValidationResult =
  | { ok: true; changes: ValidatedChanges; recordCount: number }
  | { ok: false; code: 'BAD_REQUEST' | 'PAYLOAD_TOO_LARGE'; message: string };

export const recordIdSchema = z.string().regex(recordIdPattern, 'must be 1-64 characters of A-Z, a-z, 0-9, "_" or "-"');

function columnSchema(spec: ColumnSpec): z.ZodType {
  const base =
    spec.type === 'string'
      ? z
          .string()
          .max(pushLimits.maxStringLength)
          // PostgreSQL text cannot hold NUL; refuse it here rather than fail in the database.
          .refine((value) => !value.includes('\u0000'), 'must not contain NUL (\\u0000) characters')
      : spec.type === 'number'
        ? z.number().finite()
        : z.boolean();
  return spec.optional ? base.nullable() : base;
}

function rawRecordSchema(table: TableName) {
  const shape: Record<string, z.ZodType> = { id: recordIdSchema };
  for (const [name, spec] of Object.entries(columnsOf(table))) shape[name] = columnSchema(spec).optional();
  // Sent by WatermelonDB or echoed back from a pull; never stored.
  shape._status = z.string().optional();
  shape._changed = z.string().optional();
  for (const name of serverManagedColumns) shape[name] = z.unknown().optional();
  return z.strictObject(shape);
}

/** zod validators for one pushed record of each synced table. */
export const rawRecordSchemas = Object.fromEntries(
  tableNames.map((table) => [table, rawRecordSchema(table)]),
) as Record<TableName, ReturnType<typeof rawRecordSchema>>;

const tableChangesSchema = z.strictObject({
  created: z.array(z.unknown()).default([]),
  updated: z.array(z.unknown()).default([]),
  deleted: z.array(z.unknown()).default([]),
});

/** A client's value in a message: short, and never serialized whole (it may be nested thousands deep). */
function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return `of type ${Array.isArray(value) ? 'array' : typeof value}`;
}

function describeIssue(issue: z.core.$ZodIssue, table: string, id: unknown): string {
  const where = `record ${typeof id === 'string' ? id : '(no id)'}`;
  const column = issue.path[0];
  if (issue.code === 'unrecognized_keys') {
    return `${table} has no column ${issue.keys.map((k) => `"${k}"`).join(', ')} (${where})`;
  }
  if (column === 'id') return `${table}.id ${issue.message} (${where})`;
  if (issue.code === 'invalid_type') {
    const spec = isTableName(table) ? columnsOf(table)[String(column)] : undefined;
    const expected = spec ? `a ${spec.type}${spec.optional ? ' or null' : ''}` : issue.expected;
    return `${table}.${String(column)} must be ${expected} (${where})`;
  }
  return `${table}.${String(column)}: ${issue.message} (${where})`;
}

function validateRecord(table: TableName, raw: unknown): RecordWrite | string {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return `${table}: every created/updated entry must be a record object`;
  }
  const id = (raw as { id?: unknown }).id;
  const parsed = rawRecordSchemas[table].safeParse(raw);
  if (!parsed.success) return describeIssue(parsed.error.issues[0]!, table, id);
  const record = parsed.data as Record<string, unknown>;
  const known = columnNamesOf(table);
  const values: Record<string, string | number | boolean | null> = {};
  for (const column of known) {
    if (record[column] !== undefined) values[column] = record[column] as string | number | boolean | null;
  }
  let changed: string[];
  if (typeof record._changed === 'string') {
    // Updated: the columns edited since the last sync. Created: those edited after the
    // creation (WatermelonDB) or chosen by the creator (a shared id, sync-client C21). A
    // created id that already exists gets only these: the rest of its raw is the creator's
    // blanks, or values it pulled from the server, and writing them back would undo other
    // devices' acknowledged edits (U2).
    changed = record._changed === '' ? [] : record._changed.split(',');
    for (const column of changed) {
      if (!known.includes(column) && !(serverManagedColumns as readonly string[]).includes(column)) {
        return `${table} has no column "${column}" (listed in _changed of record ${String(id)})`;
      }
    }
    const listed = changed;
    changed = known.filter((column) => column in values && listed.includes(column));
  } else {
    changed = Object.keys(values);
  }
  return { id: record.id as string, values, changed };
}

/**
 * Checks a push's `changes` against the synced schema: known tables and columns, the
 * right types, well-formed ids, and the size limits. Returns normalized writes, or
 * the first problem in words a person can act on.
 */
export function validatePushChanges(changes: unknown): PushValidationResult {
  const bad = (message: string) => ({ ok: false, code: 'BAD_REQUEST', message }) as const;
  if (typeof changes !== 'object' || changes === null || Array.isArray(changes)) {
    return bad('changes must be an object keyed by table name');
  }
  let recordCount = 0;
  for (const value of Object.values(changes)) {
    if (typeof value === 'object' && value !== null) {
      for (const kind of ['created', 'updated', 'deleted'] as const) {
        const list = (value as Record<string, unknown>)[kind];
        if (Array.isArray(list)) recordCount += list.length;
      }
    }
  }
  if (recordCount > pushLimits.maxRecords) {
    return {
      ok: false,
      code: 'PAYLOAD_TOO_LARGE',
      message: `a push may hold at most ${pushLimits.maxRecords} records; this one has ${recordCount}`,
    };
  }
  const result: ValidatedChanges = {};
  for (const [table, tableChanges] of Object.entries(changes)) {
    if (!isTableName(table)) return bad(`unknown table "${table}"; synced tables are ${tableNames.join(', ')}`);
    const parsed = tableChangesSchema.safeParse(tableChanges);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const where = issue.path.length ? `.${issue.path.join('.')}` : '';
      return bad(`changes.${table}${where}: ${issue.message}; expected {created: [], updated: [], deleted: []}`);
    }
    const upserts = new Map<string, RecordWrite>();
    // Created and updated alike: an upsert of the sent columns that, on an existing row,
    // changes those in `_changed` (all sent when it is absent).
    for (const raw of [...parsed.data.created, ...parsed.data.updated]) {
      const write = validateRecord(table, raw);
      if (typeof write === 'string') return bad(write);
      upserts.set(write.id, write);
    }
    const deletes: string[] = [];
    for (const id of parsed.data.deleted) {
      const checked = recordIdSchema.safeParse(id);
      if (!checked.success) return bad(`${table}.deleted: id ${describeValue(id)} ${checked.error.issues[0]!.message}`);
      deletes.push(checked.data);
      upserts.delete(checked.data);
    }
    result[table] = { upserts: [...upserts.values()], deletes };
  }
  return { ok: true, changes: result, recordCount };
}
