/**
 * The board's live page eighths (domain PG7) against a real in-memory WatermelonDB: what
 * the sync leaves in the raw records is what the next push sends (`_status`, `_changed`).
 */
import { Database } from '@nozbe/watermelondb';
import LokiJSAdapter from '@nozbe/watermelondb/adapters/lokijs';
import { type ScriptBlock, parseFountain, scenesFromScript } from '@clapper/domain';
import { type RecordOf, modelClasses, watermelonSchema } from '@clapper/schema';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { type SceneEighthsRun, createSceneEighthsSync } from './scene-eighths-sync.ts';

function localDatabase(): Database {
  const adapter = new LokiJSAdapter({
    schema: watermelonSchema,
    useWebWorker: false,
    useIncrementalIndexedDB: false,
    dbName: `eighths-test-${Math.random()}`,
    extraLokiOptions: { autosave: false },
  });
  return new Database({ adapter, modelClasses });
}

/** Scenes as they are after a pull: synced, nothing pending. */
async function pulledScenes(database: Database, scenes: { id: string; heading: string; eighths: number | null }[]) {
  const collection = database.get<RecordOf<'scenes'>>('scenes');
  await database.write(() =>
    database.batch(
      ...scenes.map((scene, i) =>
        collection.prepareCreateFromDirtyRaw({
          id: scene.id,
          number: '',
          heading: scene.heading,
          location: '',
          time_of_day: '',
          synopsis: '',
          page_eighths: scene.eighths,
          sort_key: `a${i}`,
          number_locked: false,
          _status: 'synced',
          _changed: '',
        }),
      ),
    ),
  );
}

async function raw(database: Database, id: string) {
  const record = await database.get<RecordOf<'scenes'>>('scenes').find(id);
  const { page_eighths, _status, _changed } = record._raw as unknown as Record<string, unknown>;
  return { page_eighths, _status, _changed };
}

const script = (kitchenLines: number): ScriptBlock[] =>
  parseFountain(
    [
      'INT. KITCHEN - DAY',
      '',
      ...Array.from({ length: kitchenLines }, () => 'Maya cooks.\n'),
      'EXT. PIER - NIGHT',
      '',
      'Gulls.',
      '',
    ].join('\n'),
  );

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});
afterEach(() => {
  vi.useRealTimers();
});

test('[PG7] a settled script updates the linked scenes whose eighths changed, in one write; typing only restarts the wait', async () => {
  const database = localDatabase();
  await pulledScenes(database, [
    { id: 'pier', heading: 'EXT. PIER - NIGHT', eighths: 1 },
    { id: 'kitchen', heading: 'INT. KITCHEN - DAY', eighths: 1 },
    { id: 'plates', heading: 'Second unit plates', eighths: 3 },
  ]);
  const runs: SceneEighthsRun[] = [];
  const sync = createSceneEighthsSync(database, { settleMs: 1_000, onRun: (run) => runs.push(run) });
  const read = vi.fn(() => script(40));
  // A burst of keystrokes: the script is not even read until it settles.
  for (let key = 0; key < 20; key++) {
    sync.scriptChanged(read);
    await vi.advanceTimersByTimeAsync(200);
  }
  expect(read).not.toHaveBeenCalled();
  await vi.advanceTimersByTimeAsync(1_000);
  await vi.waitFor(() => expect(runs).toHaveLength(1));
  expect(read).toHaveBeenCalledTimes(1);
  const kitchen = scenesFromScript(script(40))[0]!.pageEighths;
  expect(kitchen).toBeGreaterThan(1);
  expect(runs[0]).toMatchObject({ scenes: 2, written: 1 });
  expect(await raw(database, 'kitchen')).toEqual({
    page_eighths: kitchen,
    _status: 'updated',
    _changed: 'page_eighths',
  });
  // Right already, or not linked to the script: untouched, nothing to push.
  expect(await raw(database, 'pier')).toEqual({ page_eighths: 1, _status: 'synced', _changed: '' });
  expect(await raw(database, 'plates')).toEqual({ page_eighths: 3, _status: 'synced', _changed: '' });
  sync.dispose();
});

test('[PG7] the same script again writes nothing: a value already stored is never rewritten (no sync churn)', async () => {
  const database = localDatabase();
  const kitchen = scenesFromScript(script(10))[0]!.pageEighths;
  await pulledScenes(database, [
    { id: 'kitchen', heading: 'INT. KITCHEN - DAY', eighths: kitchen },
    { id: 'pier', heading: 'EXT. PIER - NIGHT', eighths: 1 },
  ]);
  const runs: SceneEighthsRun[] = [];
  const sync = createSceneEighthsSync(database, { settleMs: 500, onRun: (run) => runs.push(run) });
  // Another window wrote what this one computes (or this one opened): nothing to write.
  sync.scriptChanged(() => script(10));
  await vi.advanceTimersByTimeAsync(500);
  await vi.waitFor(() => expect(runs).toHaveLength(1));
  expect(runs[0]?.written).toBe(0);
  expect(await raw(database, 'kitchen')).toEqual({ page_eighths: kitchen, _status: 'synced', _changed: '' });
  // After dispose (the project closed) nothing runs.
  sync.scriptChanged(() => script(60));
  sync.dispose();
  await vi.advanceTimersByTimeAsync(1_000);
  expect(runs).toHaveLength(1);
});
