/**
 * SQL for the synced tables, built once from the column lists in @clapper/schema.
 * Identifiers come only from the schema (checked against a strict pattern); every
 * value travels as a parameter, rows as parallel arrays through `unnest`, so a push
 * of 10,000 records is a handful of statement parts.
 */
import { type ColumnType, type TableName, columnNamesAt, columnsOf, schemaVersion } from '@clapper/schema';
import type { PullTableMode } from './sync-request.ts';
import type { UpsertDeletes } from './write-groups.ts';

const pgTypeOf: Record<ColumnType, string> = { string: 'text', number: 'float8', boolean: 'bool' };

function ident(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`refusing to use "${name}" as an SQL identifier`);
  return `"${name}"`;
}

export function pgArrayTypeOf(table: TableName, column: string): string {
  if (column === 'id') return 'text[]';
  const spec = columnsOf(table)[column];
  if (!spec) throw new Error(`${table} has no column ${column}`);
  return `${pgTypeOf[spec.type]}[]`;
}

/**
 * An existing live row gets the `changed` columns and the new stamp (and is soft-deleted
 * when the write ends in a delete); a soft-deleted row is never changed: delete wins over
 * a concurrent update, and nothing is resurrected.
 */
function onConflict(target: string, changed: readonly string[], deletes: UpsertDeletes): string {
  if (changed.length === 0 && deletes === 'none') return 'DO NOTHING';
  const assignments = [
    ...changed.map((c) => `${ident(c)} = EXCLUDED.${ident(c)}`),
    '"updated_at" = EXCLUDED."updated_at"',
  ];
  if (deletes !== 'none') assignments.push('"deleted_at" = EXCLUDED."updated_at"');
  return `DO UPDATE SET ${assignments.join(', ')} WHERE ${target}."deleted_at" IS NULL`;
}

/** A pulled raw (`qualifier`: the table's name, where another FROM item has columns of the same names). */
function rawObjectOf(table: TableName, version: number, qualifier = ''): string {
  const columns = ['id', ...columnNamesAt(table, version), 'project_id', 'created_at', 'updated_at'];
  return `json_build_object(${columns.map((c) => `'${c}', ${qualifier}${ident(c)}`).join(', ')})`;
}

/**
 * What a write part returns when the statement also reports the commit's changes: each
 * row it wrote as a pull from the previous clock sends it (at the server's schema
 * version), live or deleted. Rows it did not write (a soft-deleted row, DO NOTHING) are
 * not returned, and got no stamp.
 */
function changedRowsReturning(table: TableName): string {
  const target = ident(table);
  return `RETURNING ${target}."id" AS "id", ${target}."deleted_at" IS NULL AS "live", ${rawObjectOf(table, schemaVersion, `${target}.`)} AS "raw"`;
}

const none = `'[]'::json`;

/** One table's `{created, updated, deleted}` as JSON, read against the clock `c`. */
function pullTableSelect(table: TableName, mode: PullTableMode, version: number): string {
  const t = ident(table);
  const raw = rawObjectOf(table, version);
  const records = (filter: string) => `coalesce(json_agg(${raw}) FILTER (WHERE ${filter}), ${none})`;
  const ids = (filter: string) => `coalesce(json_agg("id") FILTER (WHERE ${filter}), ${none})`;
  const live = `"deleted_at" IS NULL`;
  const inProject = `"project_id" = $1::text AND "updated_at" <= c.clock`;
  switch (mode) {
    case 'all-created':
      return `SELECT json_build_object('created', ${records('true')}, 'updated', ${none}, 'deleted', ${none})
           FROM ${t} WHERE ${inProject} AND ${live}`;
    case 'since':
      return `SELECT json_build_object('created', ${none}, 'updated', ${records(live)}, 'deleted', ${ids('NOT (' + live + ')')})
           FROM ${t} WHERE ${inProject} AND "updated_at" > c.since`;
    case 'all-updated':
      return `SELECT json_build_object('created', ${none}, 'updated', ${records(live)}, 'deleted', ${ids('NOT (' + live + ')')})
           FROM ${t} WHERE ${inProject} AND (${live} OR "updated_at" > c.since)`;
  }
}

/**
 * The whole pull in ONE statement, so the clock and every table are read in the same
 * snapshot: a row is returned iff it committed before the clock that is returned.
 * Params: $1 project id, $2 lastPulledAt (null on a first pull). No row when the project
 * does not exist. `tables` are the client's schema version's tables, with what to send
 * of each; columns are those of `version`.
 */
export function pullStatement(tables: ReadonlyMap<TableName, PullTableMode>, version: number): string {
  const perTable = [...tables].map(([table, mode]) => `(${pullTableSelect(table, mode, version)}) AS ${ident(table)}`);
  return `WITH c AS (SELECT "clock" AS clock, $2::bigint AS since FROM "projects" WHERE "id" = $1::text)
    SELECT c.clock, ${perTable.join(',\n      ')} FROM c`;
}

/**
 * The parts of the push statement (see `push-statement.ts`): CTE bodies that read the
 * stamp from `c."clock"` and write only rows of pushes listed in `fresh`.
 * Params: $1 project id; `first` is the number of this group's first array parameter:
 * push ids, then ids, then one array per sent column.
 */
export function batchUpsertStatement(
  table: TableName,
  sent: readonly string[],
  changed: readonly string[],
  deletes: UpsertDeletes,
  first: number,
  returning = false,
): string {
  const columns = ['id', ...sent];
  const arrays = ['push_id', ...columns].map(
    (column, i) => `$${first + i}::${column === 'push_id' ? 'text[]' : pgArrayTypeOf(table, column)}`,
  );
  const target = ident(table);
  // A new record whose last write is a delete is inserted deleted (`both`).
  const deletedAt = deletes === 'both' ? ', "deleted_at"' : '';
  return `INSERT INTO ${target} ("project_id", ${columns.map(ident).join(', ')}, "created_at", "updated_at"${deletedAt})
    SELECT $1::text, ${columns.map((c) => `v.${ident(c)}`).join(', ')}, c."clock", c."clock"${deletedAt ? ', c."clock"' : ''}
    FROM c, unnest(${arrays.join(', ')}) AS v("push_id", ${columns.map(ident).join(', ')})
    WHERE v."push_id" IN (SELECT "push_id" FROM fresh)
    ON CONFLICT ("project_id", "id") ${onConflict(target, changed, deletes)}${returning ? `\n    ${changedRowsReturning(table)}` : ''}`;
}

/** Params as `batchUpsertStatement`: push ids, then ids. Deleting an unknown or deleted id is a no-op. */
export function batchSoftDeleteStatement(table: TableName, first: number, returning = false): string {
  const target = ident(table);
  return `UPDATE ${target} SET "deleted_at" = c."clock", "updated_at" = c."clock"
    FROM c, unnest($${first}::text[], $${first + 1}::text[]) AS v("push_id", "id")
    WHERE ${target}."project_id" = $1::text AND ${target}."id" = v."id" AND ${target}."deleted_at" IS NULL
      AND v."push_id" IN (SELECT "push_id" FROM fresh)${returning ? `\n    ${changedRowsReturning(table)}` : ''}`;
}
