import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrate, readMigrations } from './migrate.ts';
import { type PrismaClient, createPool, createPrisma } from './pool.ts';

export interface TestDatabase {
  readonly url: string;
  readonly pool: pg.Pool;
  readonly prisma: PrismaClient;
  /** Closes the connections and drops the database. */
  drop(): Promise<void>;
}

/** The server tests create databases on: DATABASE_URL, or the embedded one vitest's global setup started. */
export function testAdminUrl(): string {
  const url = process.env.DATABASE_URL ?? process.env.CLAPPER_TEST_ADMIN_URL;
  if (!url)
    throw new Error('no test database: set DATABASE_URL, or run tests through vitest (its global setup starts one)');
  return url;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function templateName(): Promise<string> {
  const migrations = await readMigrations();
  const checksums = migrations.map((m) => m.checksum).join('');
  return `clapper_tpl_${createHash('sha256').update(checksums).digest('hex').slice(0, 12)}`;
}

/**
 * A fresh, migrated database for one test file: cloned from a template that is
 * migrated once per migration set, so each file starts clean in milliseconds.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = testAdminUrl();
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const template = await templateName();
  const name = `clapper_t_${randomBytes(6).toString('hex')}`;
  try {
    await admin.query('SELECT pg_advisory_lock(7242002)');
    try {
      const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
      if (exists.rowCount === 0) {
        await admin.query(`CREATE DATABASE "${template}"`);
        try {
          await migrate(withDatabase(adminUrl, template));
        } catch (error) {
          await admin.query(`DROP DATABASE IF EXISTS "${template}"`);
          throw error;
        }
      }
      await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
    } finally {
      await admin.query('SELECT pg_advisory_unlock(7242002)');
    }
  } finally {
    await admin.end();
  }
  const url = withDatabase(adminUrl, name);
  const pool = createPool(url, 10);
  const prisma = createPrisma(pool);
  return {
    url,
    pool,
    prisma,
    async drop() {
      await prisma.$disconnect().catch(() => undefined);
      await pool.end().catch(() => undefined);
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
