'use client';
import type { Database, Model } from '@nozbe/watermelondb';
import { type StripMove, type StripRow, keyBetween } from '@clapper/domain';
import type { TableName } from '@clapper/schema';
import type { BannerRecord, SceneRecord, ShotRecord } from './records.ts';

/**
 * Every stripboard edit is one local `database.write()`: the UI re-renders from the local
 * database at once and the sync engine pushes the dirty records in the background.
 */
type Patch = Record<string, unknown>;

function assign(record: Model, patch: Patch): void {
  // The schema's model classes expose each column as a camelCase setter over _setRaw.
  Object.assign(record, patch);
}

export async function createRecord(database: Database, table: TableName, values: Patch, id?: string): Promise<string> {
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

export async function updateRecord(database: Database, table: TableName, id: string, patch: Patch): Promise<void> {
  await database.write(async () => {
    const record = await database.get(table).find(id);
    await record.update((draft) => assign(draft, patch));
  });
}

/** The one write a drag or keyboard move makes. */
export async function applyStripMove(database: Database, move: StripMove): Promise<void> {
  const patch: Patch = { sortKey: move.sortKey };
  if (move.table !== 'scenes') patch.sceneId = move.sceneId;
  await updateRecord(database, move.table, move.id, patch);
}

/** The largest sort key among the shots and day breaks inside `sceneId`. */
export function lastKeyInside(rows: readonly StripRow[], sceneId: string): string | null {
  let last: string | null = null;
  for (const row of rows) {
    if (row.kind === 'scene' || row.sceneId !== sceneId) continue;
    const key = row.kind === 'shot' ? row.shot.sortKey : row.banner.sortKey;
    if (last === null || key > last) last = key;
  }
  return last;
}

export function lastTopLevelKey(rows: readonly StripRow[]): string | null {
  let last: string | null = null;
  for (const row of rows) {
    if (row.kind === 'shot' || (row.kind === 'banner' && row.sceneId !== null)) continue;
    const key = row.kind === 'scene' ? row.scene.sortKey : row.banner.sortKey;
    if (last === null || key > last) last = key;
  }
  return last;
}

export function addScene(database: Database, rows: readonly StripRow[], sceneCount: number): Promise<string> {
  const values: Omit<SceneRecord, 'id'> = {
    number: String(sceneCount + 1),
    heading: '',
    location: '',
    timeOfDay: '',
    synopsis: '',
    pageEighths: null,
    sortKey: keyBetween(lastTopLevelKey(rows), null),
  };
  return createRecord(database, 'scenes', values);
}

const shotLetters = 'ABCDEFGHJKLMNPQRSTUVWXYZ';

/** The first label of the "12A, 12B, …, 12Z, 12A2, …" series not already used in the scene. */
export function nextShotLabel(sceneNumber: string, usedLabels: ReadonlySet<string>): string {
  for (let round = 1; ; round++) {
    for (const letter of shotLetters) {
      const label = `${sceneNumber}${letter}${round > 1 ? round : ''}`;
      if (!usedLabels.has(label)) return label;
    }
  }
}

export function addShot(database: Database, rows: readonly StripRow[], scene: SceneRecord): Promise<string> {
  const used = new Set<string>();
  for (const row of rows) if (row.kind === 'shot' && row.sceneId === scene.id) used.add((row.shot as ShotRecord).label);
  const values: Omit<ShotRecord, 'id'> = {
    sceneId: scene.id,
    sortKey: keyBetween(lastKeyInside(rows, scene.id), null),
    label: nextShotLabel(scene.number, used),
    size: '',
    movement: '',
    lens: '',
    description: '',
    durationS: null,
    done: false,
  };
  return createRecord(database, 'shots', values);
}

export function addBanner(database: Database, rows: readonly StripRow[]): Promise<string> {
  const values: Omit<BannerRecord, 'id'> = { sceneId: null, sortKey: keyBetween(lastTopLevelKey(rows), null), date: '', label: '' };
  return createRecord(database, 'day_banners', values);
}

/** Deleting a scene deletes its shots and the day banners inside it, in one write. */
export async function deleteRow(database: Database, rows: readonly StripRow[], row: StripRow): Promise<void> {
  await database.write(async () => {
    const doomed: { table: TableName; id: string }[] =
      row.kind === 'scene'
        ? rows.filter((r) => r.sceneId === row.id).map((r) => ({ table: r.kind === 'scene' ? 'scenes' : r.kind === 'shot' ? 'shots' : 'day_banners', id: r.id }))
        : [{ table: row.kind === 'shot' ? 'shots' : 'day_banners', id: row.id }];
    const prepared: Model[] = [];
    for (const { table, id } of doomed) {
      const record = await database.get(table).find(id);
      prepared.push(record.prepareMarkAsDeleted());
    }
    await database.batch(prepared);
  });
}
