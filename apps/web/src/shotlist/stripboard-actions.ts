'use client';
import type { Database, Model } from '@nozbe/watermelondb';
import {
  type SceneNumberLock,
  type StripMove,
  type StripRecordRef,
  type StripRow,
  planNewBanner,
  planNewScene,
  planOpeningBanner,
  planNewShot,
} from '@clapper/domain';
import type { RecordPatch, RecordValues, TableName } from '@clapper/schema';
import type { SceneRecord, ShotRecord } from './records.ts';

/**
 * Every stripboard edit is one local `database.write()`: the UI re-renders from the local
 * database at once and the sync engine pushes the dirty records in the background. What
 * to write (keys, labels, which records a delete takes) is planned in `@clapper/domain`;
 * this file only executes the plans.
 *
 * Values and patches are typed from the schema (`RecordValues`, `RecordPatch`): a property
 * that is not a column would land on the model object, never in its raw record, and so
 * would never sync; the types make that a compile error.
 */
function assign(record: Model, values: object): void {
  // The schema's model classes expose each column as a camelCase setter over _setRaw.
  Object.assign(record, values);
}

export async function createRecord<T extends TableName>(
  database: Database,
  table: T,
  values: NoInfer<RecordValues<T>>,
  id?: string,
): Promise<string> {
  let createdId = '';
  await database.write(async () => {
    const record = await database.get(table).create((fresh) => {
      if (id) fresh._raw.id = id;
      assign(fresh, values);
    });
    createdId = record.id;
  });
  return createdId;
}

export async function updateRecord<T extends TableName>(
  database: Database,
  table: T,
  id: string,
  patch: NoInfer<RecordPatch<T>>,
): Promise<void> {
  await database.write(async () => {
    const record = await database.get(table).find(id);
    await record.update((draft) => assign(draft, patch));
  });
}

/** Marks every planned record deleted in one write, so one push carries the whole delete. */
export async function deleteRecords(database: Database, doomed: readonly StripRecordRef[]): Promise<void> {
  if (doomed.length === 0) return;
  await database.write(async () => {
    const prepared: Model[] = [];
    for (const { table, id } of doomed) prepared.push((await database.get(table).find(id)).prepareMarkAsDeleted());
    await database.batch(prepared);
  });
}

/** The one write a drag, keyboard move or put-back makes. */
export function applyStripMove(database: Database, move: StripMove): Promise<void> {
  if (move.table === 'scenes') return updateRecord(database, 'scenes', move.id, { sortKey: move.sortKey });
  if (move.table === 'shots')
    return updateRecord(database, 'shots', move.id, { sceneId: move.sceneId, sortKey: move.sortKey });
  return updateRecord(database, 'day_banners', move.id, { sceneId: move.sceneId, sortKey: move.sortKey });
}

export function addScene(database: Database, rows: readonly StripRow[]): Promise<string> {
  return createRecord(database, 'scenes', {
    ...planNewScene(rows),
    heading: '',
    location: '',
    timeOfDay: '',
    synopsis: '',
    pageEighths: null,
  });
}

export function addShot(
  database: Database,
  rows: readonly StripRow<SceneRecord, ShotRecord>[],
  scene: SceneRecord,
): Promise<string> {
  return createRecord(database, 'shots', {
    ...planNewShot(rows, scene),
    size: '',
    movement: '',
    lens: '',
    description: '',
    durationS: null,
    done: false,
  });
}

export function addBanner(database: Database, rows: readonly StripRow[]): Promise<string> {
  return createRecord(database, 'day_banners', { ...planNewBanner(rows), date: '', label: '' });
}

/** Gives Day 1 (work above the first day break) a day break of its own, first on the board. */
export function addOpeningBanner(database: Database, rows: readonly StripRow[]): Promise<string> {
  return createRecord(database, 'day_banners', { ...planOpeningBanner(rows), date: '', label: '' });
}

/** "Lock scene numbers" (N2): every planned scene gets its shown number, locked, in one write. */
export async function lockSceneNumbers(database: Database, locks: readonly SceneNumberLock[]): Promise<void> {
  if (locks.length === 0) return;
  await database.write(async () => {
    const collection = database.get('scenes');
    const prepared: Model[] = [];
    for (const { id, number } of locks) {
      const patch: RecordPatch<'scenes'> = { number, numberLocked: true };
      prepared.push((await collection.find(id)).prepareUpdate((draft) => assign(draft, patch)));
    }
    await database.batch(prepared);
  });
}
