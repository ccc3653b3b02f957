/**
 * subscribeToSnapshots (what useTableRecords renders from) against a real in-memory
 * LokiJS WatermelonDB, changed the way a nudge changes it: WatermelonDB's synchronize()
 * applying a pulled change set.
 */
import { Database } from '@nozbe/watermelondb';
import LokiJSAdapter from '@nozbe/watermelondb/adapters/lokijs';
import { synchronize } from '@nozbe/watermelondb/sync';
import { type RecordOf, modelClasses, watermelonSchema } from '@clapper/schema';
import { expect, test } from 'vitest';
import { type Plain, subscribeToSnapshots } from './use-records.ts';

function localDatabase(): Database {
  const adapter = new LokiJSAdapter({
    schema: watermelonSchema,
    useWebWorker: false,
    useIncrementalIndexedDB: false,
    dbName: `records-test-${Math.random()}`,
    extraLokiOptions: { autosave: false },
  });
  return new Database({ adapter, modelClasses });
}

const rawShot = (i: number) => ({
  id: `shot${i}`,
  scene_id: 'scene1',
  sort_key: `a${String(i).padStart(4, '0')}`,
  label: `1${i}`,
  size: '',
  movement: '',
  lens: '',
  description: `Shot ${i}`,
  duration_s: null,
  done: false,
});

let pulledAt = 1;
/** Applies shots `updated`, `deleted` and `created` as a pull (or a nudge's changes) does. */
async function pull(
  database: Database,
  updated: Record<string, unknown>[],
  deleted: string[] = [],
  created: Record<string, unknown>[] = [],
): Promise<void> {
  await synchronize({
    database,
    pullChanges: () =>
      Promise.resolve({ changes: { shots: { created, updated, deleted } }, timestamp: (pulledAt += 1) }),
  });
}

test("a pulled edit of one shot emits once: that shot's snapshot replaced, every other snapshot the same object, in the same order; creates and deletes re-read the table", async () => {
  const database = localDatabase();
  const collection = database.get<RecordOf<'shots'>>('shots');
  await database.write(() =>
    database.batch(
      ...Array.from({ length: 300 }, (_, i) =>
        collection.prepareCreateFromDirtyRaw({ ...rawShot(i), _status: 'synced', _changed: '' }),
      ),
    ),
  );
  const emissions: (readonly Plain[])[] = [];
  const unsubscribe = subscribeToSnapshots(database, 'shots', (records) => emissions.push(records));
  await expect.poll(() => emissions.length).toBe(1);
  const first = emissions[0]!;
  expect(first).toHaveLength(300);
  expect(first[7]).toMatchObject({ id: 'shot7', sceneId: 'scene1', description: 'Shot 7', durationS: null });

  await pull(database, [{ ...rawShot(7), description: 'Edit from the other window' }]);
  expect(emissions).toHaveLength(2);
  const second = emissions[1]!;
  expect(second.map((shot) => shot.id)).toEqual(first.map((shot) => shot.id));
  expect(second[7]).toEqual({ ...first[7], description: 'Edit from the other window' });
  second.forEach((shot, i) => {
    if (i !== 7) expect(shot).toBe(first[i]);
  });
  expect(first[7]!.description).toBe('Shot 7'); // an emitted array is never changed afterwards

  // The same values again (e.g. this device's own edit coming back): nothing to render.
  await pull(database, [{ ...rawShot(7), description: 'Edit from the other window' }]);
  expect(emissions).toHaveLength(2);

  await pull(database, [{ ...rawShot(8), done: true }], ['shot3'], [rawShot(300)]);
  await expect.poll(() => emissions.at(-1)!.some((shot) => shot.id === 'shot300')).toBe(true);
  const last = emissions.at(-1)!;
  expect(last).toHaveLength(300);
  expect(last.some((shot) => shot.id === 'shot3')).toBe(false);
  expect(last.find((shot) => shot.id === 'shot8')).toMatchObject({ done: true });
  expect(last.find((shot) => shot.id === 'shot7')).toBe(second[7]);

  // Later updates land on the right snapshot after the membership changed.
  await pull(database, [{ ...rawShot(300), lens: '50' }]);
  expect(emissions.at(-1)!.find((shot) => shot.id === 'shot300')).toMatchObject({ lens: '50' });
  expect(emissions.at(-1)!.find((shot) => shot.id === 'shot8')).toMatchObject({ done: true });
  unsubscribe();
});
