/**
 * SQL for the synced tables, built once from the column lists in @clapper/schema.
 * Identifiers come only from the schema (checked against a strict pattern); every
 * value travels as a parameter, rows as parallel arrays through `unnest`, so a push
 * of 10,000 records is a handful of statement parts.
 */
import { type ColumnType, type TableName, columnNamesOf, columnsOf, tableNames } from '@clapper/schema';
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

function rawObjectOf(table: TableName): string {
  const columns = ['id', ...columnNamesOf(table), 'project_id', 'created_at', 'updated_at'];
  return `json_build_object(${columns.map((c) => `'${c}', ${ident(c)}`).join(', ')})`;
}

/**
 * The whole pull in ONE statement, so the clock and every table are read in the same
 * snapshot: a row is returned iff it committed before the clock that is returned.
 * Params: $1 project id, $2 lastPulledAt (incremental only). No row when the project
 * does not exist.
 */
export function pullStatement(kind: 'first' | 'incremental'): string {
  const perTable = tableNames.map((table) => {
    const t = ident(table);
    const select =
      kind === 'first'
        ? `SELECT coalesce(json_agg(${rawObjectOf(table)}), '[]'::json) FROM ${t}
           WHERE "project_id" = $1::text AND "deleted_at" IS NULL AND "updated_at" <= c.clock`
        : `SELECT json_build_object(
             'updated', coalesce(json_agg(${rawObjectOf(table)}) FILTER (WHERE "deleted_at" IS NULL), '[]'::json),
             'deleted', coalesce(json_agg("id") FILTER (WHERE "deleted_at" IS NOT NULL), '[]'::json))
           FROM ${t} WHERE "project_id" = $1::text AND "updated_at" > $2::bigint AND "updated_at" <= c.clock`;
    return `(${select}) AS ${t}`;
  });
  return `WITH c AS (SELECT "clock" AS clock FROM "projects" WHERE "id" = $1::text)
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
    ON CONFLICT ("project_id", "id") ${onConflict(target, changed, deletes)}`;
}

/** Params as `batchUpsertStatement`: push ids, then ids. Deleting an unknown or deleted id is a no-op. */
export function batchSoftDeleteStatement(table: TableName, first: number): string {
  const target = ident(table);
  return `UPDATE ${target} SET "deleted_at" = c."clock", "updated_at" = c."clock"
    FROM c, unnest($${first}::text[], $${first + 1}::text[]) AS v("push_id", "id")
    WHERE ${target}."project_id" = $1::text AND ${target}."id" = v."id" AND ${target}."deleted_at" IS NULL
      AND v."push_id" IN (SELECT "push_id" FROM fresh)`;
}
