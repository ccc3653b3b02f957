import { afterAll, beforeAll, expect, test } from 'vitest';
import { type TestDatabase, createTestDatabase } from './index.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

test('a checked-out client whose connection is ended between queries fails its next query, not the process', async () => {
  const held = await db.pool.connect();
  const { rows } = await held.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  const pid = rows[0]!.pid;
  // As a database restart does (57P01), while the client is held between queries. No
  // 'error' listener of the test's own: without the pool's, that event ends the process.
  const ended = new Promise<void>((resolve) => held.once('end', () => resolve()));
  await db.pool.query('SELECT pg_terminate_backend($1)', [pid]);
  await ended;
  await expect(held.query('SELECT 1')).rejects.toThrow();
  held.release();
  // The pool dropped it and still answers.
  expect((await db.pool.query<{ one: number }>('SELECT 1 AS one')).rows[0]!.one).toBe(1);
});
