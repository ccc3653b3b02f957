import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type ColumnSpec, serverManagedColumns, syncedTables, tableNames } from '@clapper/schema';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type TestDatabase, createTestDatabase, repoRoot } from './index.ts';

// packages/schema is the one definition of the synced tables; prisma/schema.prisma and
// the SQL migrations are the copies that can't be derived. These tests keep them honest.

interface PrismaField {
  readonly type: string;
  readonly optional: boolean;
}

function prismaModels(source: string): Map<string, Map<string, PrismaField>> {
  const models = new Map<string, Map<string, PrismaField>>();
  for (const match of source.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)) {
    const fields = new Map<string, PrismaField>();
    for (const line of match[2]!.split('\n')) {
      const field = /^\s+(\w+)\s+(\w+)(\??)(\[\])?/.exec(line);
      if (!field || line.trim().startsWith('//') || field[4]) continue;
      const type = field[2]!;
      if (/^[a-z_]+$/.test(type)) continue; // relation field to another model
      fields.set(field[1]!, { type, optional: field[3] === '?' });
    }
    models.set(match[1]!, fields);
  }
  return models;
}

const prismaTypeOf: Record<ColumnSpec['type'], string> = { string: 'String', number: 'Float', boolean: 'Boolean' };
const sqlTypeOf: Record<ColumnSpec['type'], string> = {
  string: 'text',
  number: 'double precision',
  boolean: 'boolean',
};

function expectedColumns(table: (typeof tableNames)[number]) {
  const columns: Record<string, { prisma: string; sql: string; optional: boolean }> = {
    id: { prisma: 'String', sql: 'text', optional: false },
    project_id: { prisma: 'String', sql: 'text', optional: false },
    created_at: { prisma: 'BigInt', sql: 'bigint', optional: false },
    updated_at: { prisma: 'BigInt', sql: 'bigint', optional: false },
    deleted_at: { prisma: 'BigInt', sql: 'bigint', optional: true },
  };
  for (const [name, spec] of Object.entries(syncedTables[table].columns) as [string, ColumnSpec][]) {
    columns[name] = { prisma: prismaTypeOf[spec.type], sql: sqlTypeOf[spec.type], optional: spec.optional === true };
  }
  return columns;
}

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

test('prisma/schema.prisma declares every synced table with exactly the columns of packages/schema', () => {
  const models = prismaModels(readFileSync(path.join(repoRoot, 'prisma/schema.prisma'), 'utf8'));
  expect(serverManagedColumns).toEqual(['project_id', 'created_at', 'updated_at', 'deleted_at']);
  for (const table of tableNames) {
    const fields = models.get(table);
    expect(fields, `model ${table} missing from prisma/schema.prisma`).toBeDefined();
    const actual = Object.fromEntries([...fields!].map(([name, f]) => [name, `${f.type}${f.optional ? '?' : ''}`]));
    const expected = Object.fromEntries(
      Object.entries(expectedColumns(table)).map(([name, c]) => [name, `${c.prisma}${c.optional ? '?' : ''}`]),
    );
    expect(actual, `prisma model ${table}`).toEqual(expected);
  }
});

test('the migrated database has every synced table keyed by (project_id, id) with an index on (project_id, updated_at)', async () => {
  for (const table of tableNames) {
    const columns = await db.pool.query<{ column_name: string; data_type: string; is_nullable: string }>(
      `SELECT column_name, data_type, is_nullable FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name = $1`,
      [table],
    );
    const actual = Object.fromEntries(
      columns.rows.map((c) => [c.column_name, `${c.data_type}${c.is_nullable === 'YES' ? '?' : ''}`]),
    );
    const expected = Object.fromEntries(
      Object.entries(expectedColumns(table)).map(([name, c]) => [name, `${c.sql}${c.optional ? '?' : ''}`]),
    );
    expect(actual, `table ${table}`).toEqual(expected);
    const indexes = await db.pool.query<{ indexdef: string }>(
      `SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = $1`,
      [table],
    );
    const defs = indexes.rows.map((r) => r.indexdef);
    expect(defs.some((d) => d.includes('UNIQUE') && d.includes('(project_id, id)'))).toBe(true);
    expect(defs.some((d) => d.includes('(project_id, updated_at)'))).toBe(true);
  }
});
