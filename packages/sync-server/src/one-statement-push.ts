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
import { columnArraysOf, groupWrites } from './write-groups.ts';

/**
 * Batches of the same shape (tables, sent and changed columns) share a prepared statement,
 * which saves PostgreSQL planning it each time (a third of its cost for a one-record push).
 * The first `maxPreparedShapes` shapes get one; each costs memory in every pooled backend.
 */
const maxPreparedShapes = 64;
const preparedNames = new Map<string, string>();

function preparedNameOf(text: string): string | undefined {
  const known = preparedNames.get(text);
  if (known || preparedNames.size >= maxPreparedShapes) return known;
  const name = `clapper-push-${preparedNames.size}`;
  preparedNames.set(text, name);
  return name;
}

/** Returns `{clock, fresh}`, or no row when there is no such project. `clock` was committed only when `fresh` is not empty. */
export function oneStatementPush(projectId: string, pushes: readonly ValidatedPush[]): { name?: string; text: string; values: unknown[] } {
  const values: unknown[] = [projectId, pushes.map((p) => p.pushId)];
  const ctes = [batchStampCtes];
  const { upserts, deletes } = groupWrites(pushes);
  for (const group of upserts) {
    const first = values.length + 1;
    values.push(group.pushIds, ...columnArraysOf(group));
    ctes.push(`w${ctes.length} AS (${batchUpsertStatement(group.table, group.sent, group.changed, first)})`);
  }
  for (const group of deletes) {
    const first = values.length + 1;
    values.push(group.pushIds, group.ids);
    ctes.push(`w${ctes.length} AS (${batchSoftDeleteStatement(group.table, first)})`);
  }
  const text = `WITH ${ctes.join(',\n  ')}
  SELECT c."clock" AS clock, ARRAY(SELECT "push_id" FROM fresh) AS fresh FROM c`;
  return { name: preparedNameOf(text), text, values };
}
