export { type DatabaseHandle, EMBEDDED_PORT, repoRoot, resolveDatabase } from './database-url.ts';
export { type EmbeddedDatabase, startEmbeddedPostgres } from './embedded-postgres.ts';
export { type Migration, migrate, migrationsDir, readMigrations } from './migrate.ts';
export { type Pool, type PoolClient, PrismaClient, createPool, createPrisma } from './pool.ts';
export { type TestDatabase, createTestDatabase, testAdminUrl } from './test-database.ts';
