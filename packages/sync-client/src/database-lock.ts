import type { Database } from '@nozbe/watermelondb';

const tails = new WeakMap<Database, Promise<void>>();

/**
 * Runs `job` after every earlier job on the same database has settled. WatermelonDB
 * aborts a synchronize() that overlaps another on one database, and two engines can
 * share a database (React StrictMode mounts effects twice; a tab re-creates its engine).
 */
export async function withDatabaseLock<T>(database: Database, job: () => Promise<T>): Promise<T> {
  const previous = tails.get(database) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((resolve) => (release = resolve));
  tails.set(
    database,
    previous.then(() => mine),
  );
  await previous;
  try {
    return await job();
  } finally {
    release();
  }
}
