import { Model } from '@nozbe/watermelondb';
import type { Associations } from '@nozbe/watermelondb/Model';
import type { RecordValues } from './record-types.ts';
import { type ColumnSpec, type TableName, syncedTables, tableNames } from './tables.ts';

/** `time_of_day` -> `timeOfDay`: the property name a model exposes for a column. */
export function propertyNameOf(column: string): string {
  return column.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/** The typed shape of a record of `table`: a model with each column as a camelCase property. */
export type RecordOf<T extends TableName> = Model & RecordValues<T>;

function associationsOf(table: TableName): Associations {
  const associations: Record<string, { type: 'belongs_to'; key: string } | { type: 'has_many'; foreignKey: string }> =
    {};
  for (const [column, spec] of Object.entries(syncedTables[table].columns) as [string, ColumnSpec][]) {
    if (spec.references) associations[spec.references] = { type: 'belongs_to', key: column };
  }
  for (const other of tableNames) {
    for (const [column, spec] of Object.entries(syncedTables[other].columns) as [string, ColumnSpec][]) {
      if (spec.references === table) associations[other] = { type: 'has_many', foreignKey: column };
    }
  }
  return associations as Associations;
}

/**
 * Builds a WatermelonDB Model class per synced table without decorators: each column
 * becomes a camelCase property backed by `_getRaw`/`_setRaw`, which is exactly what
 * `@field` does, so writes land in the raw record and sync.
 */
function modelClassFor(table: TableName): typeof Model {
  const ModelClass = class extends Model {
    static override table = table;
    static override associations = associationsOf(table);
  };
  Object.defineProperty(ModelClass, 'name', { value: `${propertyNameOf(table)}Model` });
  for (const column of Object.keys(syncedTables[table].columns)) {
    Object.defineProperty(ModelClass.prototype, propertyNameOf(column), {
      get(this: Model) {
        return this._getRaw(column);
      },
      set(this: Model, value: unknown) {
        this._setRaw(column, value as never);
      },
      enumerable: true,
      configurable: true,
    });
  }
  return ModelClass;
}

export const modelClasses: (typeof Model)[] = tableNames.map(modelClassFor);
