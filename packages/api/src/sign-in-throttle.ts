import type { Pool } from '@clapper/db';

/** One counter: at most `limit` takes per (`key`, `windowStart`). */
export interface ThrottleBucket {
  readonly key: string;
  readonly windowStart: number;
  readonly limit: number;
}

/**
 * Sign-in counters in PostgreSQL (`sign_in_throttle`), so every instance counts together
 * and nothing depends on Redis (A4). A take is one conditional upsert: it either counts
 * and answers the new count, or answers null because the bucket is full; concurrent takes
 * can never pass a limit.
 */
export interface SignInThrottle {
  /** The bucket's count after this take, or null (not counted) when it was already at its limit. */
  take(bucket: ThrottleBucket): Promise<number | null>;
  /** Undoes one take (the attempt turned out not to count). */
  giveBack(bucket: ThrottleBucket): Promise<void>;
  /** Forgets windows that started before `before`. */
  prune(before: number): Promise<void>;
}

export function createSignInThrottle(pool: Pool): SignInThrottle {
  return {
    async take({ key, windowStart, limit }) {
      const { rows } = await pool.query<{ count: number }>({
        name: 'clapper-throttle-take',
        text: `INSERT INTO sign_in_throttle AS t (bucket, window_start, count) SELECT $1, $2, 1 WHERE $3 > 0
               ON CONFLICT (bucket, window_start) DO UPDATE SET count = t.count + 1 WHERE t.count < $3
               RETURNING count`,
        values: [key, windowStart, limit],
      });
      return rows[0]?.count ?? null;
    },
    async giveBack({ key, windowStart }) {
      await pool.query({
        name: 'clapper-throttle-give-back',
        text: 'UPDATE sign_in_throttle SET count = count - 1 WHERE bucket = $1 AND window_start = $2 AND count > 0',
        values: [key, windowStart],
      });
    },
    async prune(before) {
      await pool.query('DELETE FROM sign_in_throttle WHERE window_start < $1', [before]);
    },
  };
}
