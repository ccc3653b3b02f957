import type { Collection, Model } from '@nozbe/watermelondb';

/**
 * Prepares (for `database.batch`, inside a writer) the creation of a record whose id other
 * devices may create too: an id derived from what the record is about (a day's call sheet,
 * an actor's call on it, the project's script). `columns` are its raw (snake_case) values;
 * `chosen` names those this device set, as opposed to blanks and defaults. They go into
 * `_changed`, so WatermelonDB keeps them over a copy of the record pulled from another
 * device (its conflict rule), and the server writes only them into a record that already
 * exists (sync-server U2): two devices that fill in different columns both keep theirs,
 * the same column goes to the later push (C21). `collection.create()` would list none:
 * a second creator's values would give way to the first one's.
 */
export function prepareCreateShared<T extends Model>(
  collection: Collection<T>,
  id: string,
  columns: Readonly<Record<string, unknown>>,
  chosen: readonly string[],
): T {
  return collection.prepareCreateFromDirtyRaw({ ...columns, id, _status: 'created', _changed: chosen.join(',') });
}
