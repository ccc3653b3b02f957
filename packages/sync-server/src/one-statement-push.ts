/**
 * A batch of pushes as ONE autocommit statement: the stamp (taking the project row lock,
 * K1), the push ids, and every fresh push's upserts and soft-deletes, in one round trip
 * instead of four (BEGIN, stamp, writes, COMMIT). The row lock is then held only while
 * PostgreSQL runs the statement and commits, never across a network round trip.
 * Same guarantees as the transaction: all or nothing (one statement is one transaction),
 * every row gets the stamp, rows of already-applied pushes are not written.
 *
 * Sub-statements of one statement share a snapshot and don't see each other's writes, so
 * this serves only batches whose pushes touch disjoint records (one layer, `layersOf`).
 * Reads of rows other transactions changed are safe: ON CONFLICT and UPDATE act on the
 * latest committed row version, and PostgreSQL checks foreign keys at commit.
 */
import type { ValidatedPush } from './apply-push.ts';
import { batchStampCtes } from './project-clock.ts';
import { batchSoftDeleteStatement, batchUpsertStatement } from './table-statements.ts';
import { type DeleteGroup, type UpsertGroup, columnArraysOf, groupWrites } from './write-groups.ts';

/**
 * Batches of the same shape (tables, sent and changed columns) share a statement text and
 * a prepared statement, which saves building the text and PostgreSQL planning it each time
 * (a third of its cost for a one-record push). The first `maxPreparedShapes` shapes get
 * one; each costs memory in every pooled backend. Other shapes are built per batch.
 */
const maxPreparedShapes = 64;
const statements = new Map<string, { name: string; text: string }>();

/** Returns `{clock, fresh}`, or no row when there is no such project. `clock` was committed only when `fresh` is not empty. */
export function oneStatementPush(projectId: string, pushes: readonly ValidatedPush[]): { name?: string; text: string; values: unknown[] } {
  const { upserts, deletes } = groupWrites(pushes);
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
  const shape = [...upserts.map((g) => `${g.table}(${g.sent.join()}|${g.changed.join()})`), ...deletes.map((g) => `-${g.table}`)].join(' ');
  const known = statements.get(shape);
  if (known) return { ...known, values };
  const text = statementText(upserts, deletes, firsts);
  if (statements.size >= maxPreparedShapes) return { text, values };
  const statement = { name: `clapper-push-${statements.size}`, text };
  statements.set(shape, statement);
  return { ...statement, values };
}

/** Params: $1 project id, $2 push ids, then each group's arrays from its number in `firsts` (upserts, then deletes). */
function statementText(upserts: readonly UpsertGroup[], deletes: readonly DeleteGroup[], firsts: readonly number[]): string {
  const parts = [
    ...upserts.map((group, i) => batchUpsertStatement(group.table, group.sent, group.changed, firsts[i]!)),
    ...deletes.map((group, i) => batchSoftDeleteStatement(group.table, firsts[upserts.length + i]!)),
  ];
  const ctes = [batchStampCtes, ...parts.map((part, i) => `w${i + 1} AS (${part})`)];
  return `WITH ${ctes.join(',\n  ')}
  SELECT c."clock" AS clock, ARRAY(SELECT "push_id" FROM fresh) AS fresh FROM c`;
}
