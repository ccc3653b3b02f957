export { type DatabaseHandle, repoRoot, resolveDatabase } from './database-url.ts';
export { type EmbeddedDatabase, EmbeddedPortTakenError, startEmbeddedPostgres } from './embedded-postgres.ts';
export { migrate } from './migrate.ts';
export { type Pool, type PoolClient, PrismaClient, createPool, createPrisma } from './pool.ts';
export { type TestDatabase, createTestDatabase } from './test-database.ts';
