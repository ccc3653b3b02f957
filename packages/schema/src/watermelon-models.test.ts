import { Database } from '@nozbe/watermelondb';
import LokiJSAdapter from '@nozbe/watermelondb/adapters/lokijs';
import { expect, test } from 'vitest';
import { type RecordOf, modelClasses, watermelonSchema } from './index.ts';

function localDatabase(): Database {
  const adapter = new LokiJSAdapter({
    schema: watermelonSchema,
    useWebWorker: false,
    useIncrementalIndexedDB: false,
    dbName: `schema-test-${Math.random()}`,
    extraLokiOptions: { autosave: false },
  });
  return new Database({ adapter, modelClasses });
}

test('models derived from the schema store writes in the raw record, so they sync', async () => {
  const database = localDatabase();
  const shot = await database.write(() =>
    database.get<RecordOf<'shots'>>('shots').create((record) => {
      record.sceneId = 'scene1';
      record.label = '1A';
      record.durationS = 4.5;
      record.done = true;
    }),
  );
  expect(shot._raw).toMatchObject({ scene_id: 'scene1', label: '1A', duration_s: 4.5, done: true, _status: 'created' });
  const found = await database.get<RecordOf<'shots'>>('shots').find(shot.id);
  expect(found.label).toBe('1A');
});
