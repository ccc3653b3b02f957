import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type EmbeddedDatabase, startEmbeddedPostgres } from './embedded-postgres.ts';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Port of the embedded server: away from a system PostgreSQL on 5432. */
export const EMBEDDED_PORT = 54_329;

export interface DatabaseHandle {
  readonly url: string;
  /**
   * Lets go of the embedded server (the last instance using it stops it); a no-op for an
   * external DATABASE_URL.
   */
  stop(): Promise<void>;
}

/**
 * `DATABASE_URL` when set; otherwise an embedded PostgreSQL under `.data/`, so a user's
 * machine needs no database of its own: started now, or the one another instance on this
 * machine already runs for the same data dir (startEmbeddedPostgres).
 */
export async function resolveDatabase(
  env: { DATABASE_URL?: string | undefined } = { DATABASE_URL: process.env.DATABASE_URL },
  dataDir = path.join(repoRoot, '.data', 'postgres'),
  port = EMBEDDED_PORT,
): Promise<DatabaseHandle> {
  if (env.DATABASE_URL) return { url: env.DATABASE_URL, stop: async () => undefined };
  const embedded: EmbeddedDatabase = await startEmbeddedPostgres({ dataDir, port });
  return embedded;
}
