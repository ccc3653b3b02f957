/**
 * The stripboard's local writes against a real (in-memory LokiJS) WatermelonDB with the
 * schema's model classes: what they leave in the raw records is exactly what the next
 * sync pushes (`_status`, `_changed`).
 */
import { Database, type Model } from '@nozbe/watermelondb';
import LokiJSAdapter from '@nozbe/watermelondb/adapters/lokijs';
import { flattenStripboard, planDelete, planMove, planSceneNumberLock } from '@clapper/domain';
import {
  type RecordOf,
  type RecordSnapshot,
  type TableName,
  columnNamesOf,
  modelClasses,
  propertyNameOf,
  watermelonSchema,
} from '@clapper/schema';
import { expect, test, vi } from 'vitest';
import { withSceneNumbers } from './numbered-rows.ts';
import {
  addBanner,
  addScene,
  addShot,
  applyStripMove,
  deleteRecords,
  lockSceneNumbers,
  updateRecord,
} from './stripboard-actions.ts';

function localDatabase(): Database {
  const adapter = new LokiJSAdapter({
    schema: watermelonSchema,
    useWebWorker: false,
    useIncrementalIndexedDB: false,
    dbName: `web-test-${Math.random()}`,
    extraLokiOptions: { autosave: false },
  });
  return new Database({ adapter, modelClasses });
}

/** What useTableRecords hands the UI: plain snapshots of every record of `table`. */
async function snapshots<T extends TableName>(database: Database, table: T): Promise<RecordSnapshot<T>[]> {
  const models = await database.get(table).query().fetch();
  return models.map((model) => {
    const raw = model._raw as unknown as Record<string, unknown>;
    const plain: Record<string, unknown> = { id: model.id };
    for (const column of columnNamesOf(table)) plain[propertyNameOf(column)] = raw[column];
    return plain as RecordSnapshot<T>;
  });
}

async function board(database: Database) {
  return flattenStripboard(
    await snapshots(database, 'scenes'),
    await snapshots(database, 'shots'),
    await snapshots(database, 'day_banners'),
  );
}

/** A shot as it is after a pull: synced, nothing pending. */
async function pulledShot(database: Database): Promise<RecordOf<'shots'>> {
  const raw = {
    id: 'shot1',
    scene_id: 'scene1',
    sort_key: 'a0',
    label: '1A',
    size: '',
    movement: '',
    lens: '',
    description: '',
    duration_s: null,
    done: false,
  };
  const collection = database.get<RecordOf<'shots'>>('shots');
  await database.write(() =>
    database.batch(collection.prepareCreateFromDirtyRaw({ ...raw, _status: 'synced', _changed: '' })),
  );
  return collection.find('shot1');
}

test('[S5] a director adds a scene, two shots and a day break: scene 1 holds 1A and 1B, and every record waits to be pushed', async () => {
  const database = localDatabase();
  const sceneId = await addScene(database, await board(database));
  // [N1] The scene stores no number; the board shows it as scene 1 (its place).
  expect((await snapshots(database, 'scenes'))[0]).toMatchObject({ id: sceneId, number: '', numberLocked: false });
  const numbered = withSceneNumbers(await board(database)).rows[0]!;
  const scene = numbered.kind === 'scene' ? numbered.scene : null;
  expect(scene).toMatchObject({ id: sceneId, number: '1', heading: '', pageEighths: null });
  if (!scene) return;
  await addShot(database, await board(database), scene);
  await addShot(database, await board(database), scene);
  await addBanner(database, await board(database));
  const rows = await board(database);
  expect(rows.map((row) => (row.kind === 'shot' ? row.shot.label : row.kind))).toEqual(['scene', '1A', '1B', 'banner']);
  for (const table of ['scenes', 'shots', 'day_banners'] as const) {
    for (const model of await database.get(table).query().fetch()) expect(model._raw._status).toBe('created');
  }
});

test('[N2] locking scene numbers writes each scene its shown number and number_locked, in one write', async () => {
  const database = localDatabase();
  for (let i = 0; i < 3; i++) await addScene(database, await board(database));
  const before = withSceneNumbers(await board(database));
  expect([...before.stateOf.values()]).toEqual(['board', 'board', 'board']);
  const batch = vi.spyOn(database, 'batch');
  await lockSceneNumbers(database, planSceneNumberLock(before.stored));
  expect(batch).toHaveBeenCalledTimes(1);
  const after = withSceneNumbers(await board(database));
  expect(after.stored.map((scene) => [scene.number, scene.numberLocked])).toEqual([
    ['1', true],
    ['2', true],
    ['3', true],
  ]);
  expect([...after.stateOf.values()]).toEqual(['locked', 'locked', 'locked']);
  // A scene added now is 3A until the next lock.
  await addScene(database, await board(database));
  const added = withSceneNumbers(await board(database));
  expect([...added.numbers.values()]).toEqual(['1', '2', '3', '3A']);
  expect([...added.stateOf.values()].at(-1)).toBe('provisional');
});

test('an edited cell lands in the raw record and is marked changed, so the next push carries it', async () => {
  const database = localDatabase();
  const shot = await pulledShot(database);
  await updateRecord(database, 'shots', shot.id, { durationS: 12, done: true });
  expect(shot._raw).toMatchObject({ duration_s: 12, done: true, _status: 'updated' });
  expect(shot._raw._changed.split(',').sort()).toEqual(['done', 'duration_s']);
});

test('a patch naming something that is not a column does not compile (at runtime it would never sync)', async () => {
  const database = localDatabase();
  const shot = await pulledShot(database);
  // @ts-expect-error `durationSec` is not a column of shots (the column is duration_s -> durationS)
  await updateRecord(database, 'shots', shot.id, { durationSec: 12 });
  // What the type check prevents: the write "succeeds", lands on the model object only,
  // and leaves nothing for sync to push.
  expect(shot._raw).toMatchObject({ duration_s: null, _status: 'synced', _changed: '' });
  // @ts-expect-error a column of another table is refused too
  await updateRecord(database, 'day_banners', 'any', { done: true }).catch(() => undefined);
  // @ts-expect-error a column takes only its schema type
  await updateRecord(database, 'shots', shot.id, { durationS: '12' }).catch(() => undefined);
});

test('[S3] a drag writes one record: the moved shot gets its new key (and scene), nothing else changes', async () => {
  const database = localDatabase();
  await addScene(database, []);
  await addScene(database, await board(database));
  const [scene1, scene2] = (await board(database))
    .filter((row) => row.kind === 'scene')
    .map((row) => (row.kind === 'scene' ? row.scene : null)!);
  const shotId = await addShot(database, await board(database), scene1!);
  const rows = await board(database);
  const move = planMove(rows, shotId, rows.length - 1);
  expect(move).toMatchObject({ table: 'shots', sceneId: scene2!.id });
  await applyStripMove(database, move!);
  expect((await board(database)).map((row) => row.id)).toEqual([scene1!.id, scene2!.id, shotId]);
});

test('[S6] deleting a scene deletes its shots and inner day break in one write, which one push carries', async () => {
  const database = localDatabase();
  await addScene(database, []);
  const scene = (await snapshots(database, 'scenes'))[0]!;
  await addShot(database, await board(database), scene);
  const bannerId = await addBanner(database, await board(database));
  const kept = await addScene(database, await board(database));
  // Drop the day break into scene 1, above its shot: it now lives in the scene's key space.
  const inside = planMove(await board(database), bannerId, 1);
  expect(inside).toMatchObject({ table: 'day_banners', sceneId: scene.id });
  await applyStripMove(database, inside!);

  const plan = planDelete(await board(database), scene.id);
  expect(plan).toHaveLength(3);
  // Watches (and passes through to) the real adapter: one batch is one local transaction.
  const batches = vi.spyOn(database.adapter, 'batch');
  await deleteRecords(database, plan);

  expect(batches).toHaveBeenCalledTimes(1);
  expect(batches.mock.calls[0]?.[0]).toHaveLength(3);
  expect((await board(database)).map((row) => row.id)).toEqual([kept]);
  for (const { table, id } of plan) expect(await database.adapter.getDeletedRecords(table)).toContain(id);
  const models: Model[] = await database.get('shots').query().fetch();
  expect(models).toHaveLength(0);
});
