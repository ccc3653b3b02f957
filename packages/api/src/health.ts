import type { Pool } from '@clapper/db';

export interface Health {
  status: 'ok' | 'degraded';
  db: 'ok' | 'down';
}

/** `SELECT 1` within `timeoutMs`; a hung connection attempt counts as down. */
export async function checkHealth(pool: Pool, timeoutMs = 1_500): Promise<Health> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const query = pool.query('SELECT 1').then(
    () => true,
    () => false,
  );
  const ok = await Promise.race([query, timeout]);
  clearTimeout(timer);
  return ok ? { status: 'ok', db: 'ok' } : { status: 'degraded', db: 'down' };
}
