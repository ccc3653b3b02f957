import { type Logger, defaultLogger } from '@clapper/log';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from './generated/prisma/client.ts';

// BIGINT columns hold millisecond timestamps, well inside Number.MAX_SAFE_INTEGER.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;
export { PrismaClient };

/** `logger`: where a lost idle connection is reported (stdout when not given). */
export function createPool(databaseUrl: string, max = 20, logger?: Logger): pg.Pool {
  const pool = new pg.Pool({ connectionString: databaseUrl, max });
  const log = logger ?? defaultLogger();
  // An idle client losing its connection (database restart) must not crash the server.
  pool.on('error', (error) => log.warn('idle database connection lost', { component: 'db', error: error.message }));
  // Nor a checked-out one: pg-pool listens only while a client is idle, and a client held
  // across other work (a compaction's merge in a worker) that loses its connection between
  // queries emits 'error' with no listener, which ends the process. Its next query fails
  // instead, and the pool drops it on release (no longer queryable).
  pool.on('connect', (client) =>
    client.on('error', (error) =>
      log.warn('database connection lost while in use', { component: 'db', error: error.message }),
    ),
  );
  return pool;
}

/** The one place a Prisma client is made; it shares the server's pg pool. */
export function createPrisma(pool: pg.Pool): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg(pool) });
}
