'use client';
// The typed parts of a call sheet, each edit one local write. Records are found by what
// they are about, not looked up: a day's sheet has its day break's id, a person's call is
// `derivedRecordId` of the sheet and the person. A record this device has not seen yet is
// created with only the typed columns in `_changed` (sync-client `prepareCreateShared`,
// C21): the server inserts it when it is new, and when another device made it meanwhile it
// changes only those columns (sync-server U2). Two people filling in different fields of
// the same call offline therefore both keep their values; the same field, the later wins.
import type { Database, Model } from '@nozbe/watermelondb';
import { derivedRecordId } from '@clapper/domain';
import { prepareCreateShared } from '@clapper/sync-client';
import { type RecordPatch, type RecordValues, type TableName, columnNamesOf, propertyNameOf } from '@clapper/schema';

/** A day's call sheet shares its day break's id (a different table, so no clash). */
export function callSheetIdOf(bannerId: string): string {
  return bannerId;
}

export function castCallIdOf(bannerId: string, personId: string): string {
  return derivedRecordId('castcall', callSheetIdOf(bannerId), personId);
}

export function crewCallIdOf(bannerId: string, personId: string): string {
  return derivedRecordId('crewcall', callSheetIdOf(bannerId), personId);
}

function assign(record: Model, values: object): void {
  // The schema's model classes expose each column as a camelCase setter over _setRaw.
  Object.assign(record, values);
}

async function findOrNull(database: Database, table: TableName, id: string): Promise<Model | null> {
  try {
    return await database.get(table).find(id);
  } catch {
    return null;
  }
}

/** A record's raw columns (snake_case) from camelCase values, for the columns `values` has. */
function rawColumns(table: TableName, values: object): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const column of columnNamesOf(table)) {
    const property = propertyNameOf(column);
    if (property in values) raw[column] = (values as Record<string, unknown>)[property];
  }
  return raw;
}

/**
 * Inside a writer: updates record `id` with `patch`; one this device lacks is made from
 * `blank` and the patch, the patched columns chosen (see the top).
 */
async function upsert<T extends TableName>(
  database: Database,
  table: T,
  id: string,
  blank: RecordValues<T>,
  patch: RecordPatch<T>,
): Promise<void> {
  const existing = await findOrNull(database, table, id);
  if (existing) {
    if (Object.keys(patch).length > 0) await existing.update((draft) => assign(draft, patch));
    return;
  }
  const chosen = rawColumns(table, patch);
  const columns = { ...rawColumns(table, blank), ...chosen };
  await database.batch(prepareCreateShared(database.get(table), id, columns, Object.keys(chosen)));
}

const blankSheet = (bannerId: string): RecordValues<'call_sheets'> => ({
  dayBannerId: bannerId,
  crewCall: '',
  shootingCall: '',
  locations: '',
  parking: '',
  hospital: '',
  weather: '',
  notes: '',
});

/** The sheet must exist before a call points at it (the server checks references at commit). */
async function ensureSheet(database: Database, bannerId: string): Promise<void> {
  await upsert(database, 'call_sheets', callSheetIdOf(bannerId), blankSheet(bannerId), {});
}

export async function saveCallSheet(
  database: Database,
  bannerId: string,
  patch: RecordPatch<'call_sheets'>,
): Promise<void> {
  await database.write(() => upsert(database, 'call_sheets', callSheetIdOf(bannerId), blankSheet(bannerId), patch));
}

export async function saveCastCall(
  database: Database,
  bannerId: string,
  personId: string,
  /** The call's record: the one already there, else castCallIdOf(bannerId, personId). */
  id: string,
  patch: RecordPatch<'cast_calls'>,
): Promise<void> {
  await database.write(async () => {
    await ensureSheet(database, bannerId);
    await upsert(
      database,
      'cast_calls',
      id,
      { callSheetId: callSheetIdOf(bannerId), personId, pickup: '', makeup: '', onSet: '', notes: '' },
      patch,
    );
  });
}

export async function saveCrewCall(
  database: Database,
  bannerId: string,
  personId: string,
  /** The call's record: the one already there, else crewCallIdOf(bannerId, personId). */
  id: string,
  patch: RecordPatch<'crew_calls'>,
): Promise<void> {
  await database.write(async () => {
    await ensureSheet(database, bannerId);
    await upsert(
      database,
      'crew_calls',
      id,
      { callSheetId: callSheetIdOf(bannerId), personId, call: '', notes: '' },
      patch,
    );
  });
}
