/**
 * The TypeScript shape of a synced record, derived from `syncedTables` so a column is
 * typed in one place. The UI reads snapshots and writes patches of these types; a
 * property the schema does not have (`durationSec` for `duration_s`) is a compile error,
 * not a write that lands on the model object and silently never syncs.
 */
import type { TableName, syncedTables } from './tables.ts';

type ColumnsOf<T extends TableName> = (typeof syncedTables)[T]['columns'];

type ColumnValue<S> =
  | (S extends { type: 'string' } ? string : S extends { type: 'number' } ? number : boolean)
  | (S extends { optional: true } ? null : never);

/** `time_of_day` -> `timeOfDay`, as a type (see `propertyNameOf`). */
type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;

/** Every column of a record of `table`, as the camelCase property a model exposes. */
export type RecordValues<T extends TableName> = {
  -readonly [C in keyof ColumnsOf<T> & string as CamelCase<C>]: ColumnValue<ColumnsOf<T>[C]>;
};

/** A plain snapshot of a record, as the UI renders it: its id and every column. */
export type RecordSnapshot<T extends TableName> = { id: string } & RecordValues<T>;

/**
 * What an update may write: some of the record's columns and nothing else. Deliberately
 * not `Partial<RecordOf<T>>`: that type also carries the WatermelonDB `Model` members
 * (`_raw`, `collection`, …), which a patch must never set.
 */
export type RecordPatch<T extends TableName> = Partial<RecordValues<T>>;
