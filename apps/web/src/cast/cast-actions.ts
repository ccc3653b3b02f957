'use client';
import type { Database, Model } from '@nozbe/watermelondb';
import { Q } from '@nozbe/watermelondb';
import { foldCharacterName } from '@clapper/domain';
import type { RecordSnapshot } from '@clapper/schema';
import { createRecord } from '../shotlist/stripboard-actions.ts';

export type PersonRecord = RecordSnapshot<'people'>;
export type CastingRecord = RecordSnapshot<'castings'>;
export type BreakdownItemRecord = RecordSnapshot<'breakdown_items'>;

/** What a crew adds by hand to a scene's breakdown (the characters come from the script). */
export const breakdownCategories = ['extras', 'props', 'wardrobe', 'vehicles', 'other'] as const;
export type BreakdownCategory = (typeof breakdownCategories)[number];

export const departments = [
  'Cast',
  'Production',
  'Direction',
  'Camera',
  'Grip',
  'Electric',
  'Sound',
  'Art',
  'Props',
  'Wardrobe',
  'Hair & Makeup',
  'Locations',
  'Transport',
  'Catering',
] as const;

/** "12" -> 12, "" -> null; anything else is refused with a message naming the field. */
export function parseCastNumber(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  if (!/^\d+$/.test(trimmed) || Number(trimmed) < 1) {
    throw new Error(`Cast # must be a whole number from 1 up, or empty for crew (not "${trimmed}")`);
  }
  return Number(trimmed);
}

/** Why `text` is not a cast number (null: it is one, or empty). */
export function castNumberProblem(text: string): string | null {
  try {
    parseCastNumber(text);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

export function addPerson(database: Database, department = ''): Promise<string> {
  return createRecord(database, 'people', {
    name: '',
    department,
    role: '',
    email: '',
    phone: '',
    notes: '',
    castNumber: null,
  });
}

/** A person and the castings naming them go in one write, so one push carries both. */
export async function removePerson(database: Database, personId: string): Promise<void> {
  await database.write(async () => {
    const person = await database.get('people').find(personId);
    const castings = await database.get('castings').query(Q.where('person_id', personId)).fetch();
    await database.batch([person, ...castings].map((record: Model) => record.prepareMarkAsDeleted()));
  });
}

/** Links a person to a character (stored folded, as the script's cues fold); nothing when already linked. */
export async function addCasting(
  database: Database,
  castings: readonly CastingRecord[],
  personId: string,
  character: string,
): Promise<void> {
  const folded = foldCharacterName(character);
  if (folded === '' || castings.some((c) => c.personId === personId && c.character === folded)) return;
  await createRecord(database, 'castings', { personId, character: folded });
}

/** Unlinks every casting of this person as this character (two devices may each have made one). */
export async function removeCasting(
  database: Database,
  castings: readonly CastingRecord[],
  personId: string,
  character: string,
): Promise<void> {
  const doomed = castings.filter((c) => c.personId === personId && c.character === character).map((c) => c.id);
  if (doomed.length === 0) return;
  await database.write(async () => {
    const records = await database
      .get('castings')
      .query(Q.where('id', Q.oneOf(doomed)))
      .fetch();
    await database.batch(records.map((record) => record.prepareMarkAsDeleted()));
  });
}

export function addBreakdownItem(
  database: Database,
  sceneId: string,
  category: BreakdownCategory,
  name: string,
): Promise<string> {
  return createRecord(database, 'breakdown_items', { sceneId, category, name: name.trim(), notes: '' });
}

export async function removeBreakdownItem(database: Database, id: string): Promise<void> {
  await database.write(async () => {
    const record = await database.get('breakdown_items').find(id);
    await record.markAsDeleted();
  });
}
