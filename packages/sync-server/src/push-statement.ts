/**
 * A batch of pushes as ONE autocommit statement: the stamp (taking the project row lock,
 * K1), the push ids, and every fresh push's upserts and soft-deletes, in one round trip.
 * The row lock is held only while PostgreSQL runs the statement and commits, never across
 * a network round trip. One statement is one transaction: all or nothing (U1), every row
 * gets the stamp (U6), rows of pushes applied before are not written (U4).
 *
 * Parts of one statement share a snapshot and don't see each other's writes, so no two
 * parts may write one record: `groupWrites` gives every record one write, merging what
 * several pushes of the batch do to it. A merged write is right only if all of its pushes
 * are fresh; the `merged` guard fails the statement otherwise (then nothing is written and
 * the queue applies the batch push by push). Reads of rows other transactions changed are
 * safe: ON CONFLICT and UPDATE act on the latest committed row version, and PostgreSQL
 * checks foreign keys at commit.
 */
import type { Pool } from '@clapper/db';
import { batchStampCtes } from './project-clock.ts';
import type { ValidatedPush } from './sync-request.ts';
import { batchSoftDeleteStatement, batchUpsertStatement } from './table-statements.ts';
import { type DeleteGroup, type UpsertGroup, columnArraysOf, groupWrites } from './write-groups.ts';

/** Starts the message of the guard's error (SQLSTATE 22P02): a merged push was not fresh. */
export const mergedPushRetriedMarker = 'clapper: merged push';

export interface PushStatement {
  readonly name?: string;
  readonly text: string;
  readonly values: unknown[];
}

/**
 * Statement texts by batch shape (tables, sent and changed columns, deletes), for one
 * pool. Batches of one shape share a text and a prepared statement, which saves building
 * the text and PostgreSQL planning it (a third of its cost for a one-record push). The
 * first `maxPreparedShapes` shapes get a name; each costs memory in every backend of the
 * pool that runs it, and names are per connection, so the cache belongs to the pool:
 * two services on one pool must never give one name two texts.
 */
export class PushStatements {
  static readonly maxPreparedShapes = 64;
  private static readonly byPool = new WeakMap<Pool, PushStatements>();
  private readonly shapes = new Map<string, { name: string; text: string }>();

  static of(pool: Pool): PushStatements {
    let statements = PushStatements.byPool.get(pool);
    if (!statements) PushStatements.byPool.set(pool, (statements = new PushStatements()));
    return statements;
  }

  /**
   * Returns `{clock, previous, fresh}` (and, `withChanges`, `changes`: every row the
   * statement wrote, as `ChangedRow`s), or no row when there is no such project. `clock`
   * was committed only when `fresh` is not empty.
   */
  statementFor(projectId: string, pushes: readonly ValidatedPush[], withChanges = false): PushStatement {
    const { upserts, deletes, merged } = groupWrites(pushes);
    const values: unknown[] = [projectId, pushes.map((p) => p.pushId)];
    // Each group's first parameter number, in the order its statement part comes.
    const firsts: number[] = [];
    for (const group of upserts) {
      firsts.push(values.length + 1);
      values.push(group.pushIds, ...columnArraysOf(group));
    }
    for (const group of deletes) {
      firsts.push(values.length + 1);
      values.push(group.pushIds, group.ids);
    }
    const guard = merged.length > 0 ? values.push(merged) : 0;
    const shape = [
      ...upserts.map((g) => `${g.table}(${g.sent.join()}|${g.changed.join()}|${g.deletes})`),
      ...deletes.map((g) => `-${g.table}`),
      guard ? '!' : '',
      withChanges ? '+changes' : '',
    ].join(' ');
    const known = this.shapes.get(shape);
    if (known) return { ...known, values };
    const text = statementText(upserts, deletes, firsts, guard, withChanges);
    if (this.shapes.size >= PushStatements.maxPreparedShapes) return { text, values };
    const statement = { name: `clapper-push-${this.shapes.size}`, text };
    this.shapes.set(shape, statement);
    return { ...statement, values };
  }
}

/**
 * Params: $1 project id, $2 push ids, then each group's arrays from its number in `firsts`
 * (upserts, then deletes), then (`guard`, its number, or 0 for none) the merged push ids.
 */
function statementText(
  upserts: readonly UpsertGroup[],
  deletes: readonly DeleteGroup[],
  firsts: readonly number[],
  guard: number,
  withChanges: boolean,
): string {
  const parts = [
    ...upserts.map((group, i) =>
      batchUpsertStatement(group.table, group.sent, group.changed, group.deletes, firsts[i]!, withChanges),
    ),
    ...deletes.map((group, i) => batchSoftDeleteStatement(group.table, firsts[upserts.length + i]!, withChanges)),
  ];
  const tables = [...upserts.map((g) => g.table), ...deletes.map((g) => g.table)];
  const ctes = [batchStampCtes, ...parts.map((part, i) => `w${i + 1} AS (${part})`)];
  if (guard) {
    // A merged push that is not fresh was applied before (a retry): the merged writes
    // would apply it twice. The cast fails the statement, naming the push.
    ctes.push(`merged AS (
    SELECT ('${mergedPushRetriedMarker} ' || p || ' was applied before')::int AS failed
    FROM c, unnest($${guard}::text[]) AS p WHERE p NOT IN (SELECT "push_id" FROM fresh)
  )`);
  }
  // max(): the guard's column must be computed (an unused one could be planned away).
  const checked = guard ? ', (SELECT max(failed) FROM merged) AS merged' : '';
  // Every row written here, stamped `clock`: under the project's lock no other commit
  // stamps a row between `previous` and `clock`, so these are exactly the rows a pull
  // from `previous` returns once this commits.
  const changed = !withChanges
    ? ''
    : tables.length === 0
      ? `, '[]'::json AS changes`
      : `, (SELECT coalesce(json_agg(x), '[]'::json) FROM (${tables
          .map((table, i) => `SELECT '${table}' AS "table", "id", "live", "raw" FROM w${i + 1}`)
          .join(' UNION ALL ')}) x) AS changes`;
  return `WITH ${ctes.join(',\n  ')}
  SELECT c."clock" AS clock, c."previous" AS previous, ARRAY(SELECT "push_id" FROM fresh) AS fresh${checked}${changed} FROM c`;
}
