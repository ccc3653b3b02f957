/**
 * The project's clock. Stamping takes the project row's lock until the push commits:
 * pushes to one project serialize on it (across server instances too), so stamps rise in
 * commit order and a pull that read clock C can never miss a row committed later, because
 * that row's stamp is > C. Never `now()`: it is fixed at transaction start and would not
 * rise past a stamp issued by a transaction that began later but locked first.
 */

/**
 * The head of the push statement (`push-statement.ts`). `c` locks the project row and
 * computes the stamp (from the latest committed clock: FOR UPDATE waits and re-reads);
 * `fresh` records the push ids not applied before, under that lock (ON CONFLICT sees
 * committed rows of pushes that held the lock before us, so a retry racing the original
 * is recognised); `previous` is the stamp of the project's last commit, so the rows
 * stamped `clock` are exactly the changes a pull from `previous` returns; `bump` moves the clock only when one was fresh, so a retry alone
 * changes nothing. Every part is an index probe, whatever plan PostgreSQL caches for the
 * prepared statement.
 * Params: $1 project id, $2 push ids.
 */
export const batchStampCtes = `c AS (
    SELECT "clock" AS "previous", GREATEST("clock" + 1, (extract(epoch FROM clock_timestamp()) * 1000)::bigint) AS "clock"
    FROM "projects" WHERE "id" = $1::text FOR UPDATE
  ), fresh AS (
    INSERT INTO "applied_pushes" ("project_id", "push_id", "timestamp", "created_at")
    SELECT $1::text, p, c."clock", c."clock" FROM c, unnest($2::text[]) AS p
    ON CONFLICT DO NOTHING RETURNING "push_id"
  ), bump AS (
    UPDATE "projects" SET "clock" = c."clock" FROM c
    WHERE "id" = $1::text AND EXISTS (SELECT 1 FROM fresh)
  )`;

/** Params: $1 project id, $2 push ids. */
export const appliedPushesStatement = `SELECT "push_id", "timestamp" FROM "applied_pushes"
  WHERE "project_id" = $1::text AND "push_id" = ANY($2::text[])`;

/** Params: $1 project id. */
export const readClockStatement = `SELECT "clock" FROM "projects" WHERE "id" = $1::text`;
