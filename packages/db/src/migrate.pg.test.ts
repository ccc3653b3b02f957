import { afterAll, beforeAll, expect, test } from 'vitest';
import { type TestDatabase, createTestDatabase, migrate } from './index.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

test('a fresh test database is fully migrated, and migrating again changes nothing', async () => {
  const tables = await db.pool.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
  );
  expect(tables.rows.map((r) => r.table_name)).toEqual(
    expect.arrayContaining(['users', 'sessions', 'projects', 'project_members', 'applied_pushes', 'scenes', 'shots']),
  );
  expect(await migrate(db.url)).toEqual([]);
});

test('Prisma reads and writes through the shared pool', async () => {
  await db.prisma.users.create({ data: { id: 'u1', email: 'ad@example.com', name: 'AD', created_at: 1n } });
  const found = await db.prisma.users.findUnique({ where: { email: 'ad@example.com' }, select: { name: true } });
  expect(found?.name).toBe('AD');
});
