import { expect, test } from 'vitest';
import { columnNamesAt, schemaVersion, syncedTables, tableNamesAt } from './index.ts';
import { watermelonMigrations, watermelonSchema, watermelonSchemaAt } from './watermelon-schema.ts';

test('the local schema is the latest version and has every table and column of syncedTables', () => {
  expect(watermelonSchema.version).toBe(schemaVersion);
  for (const [table, spec] of Object.entries(syncedTables)) {
    const columns = watermelonSchema.tables[table]!.columnArray.map((c) => c.name);
    expect(columns).toEqual(expect.arrayContaining(Object.keys(spec.columns)));
  }
});

test('schema 1 is what the first release shipped: four tables, scenes without number_locked', () => {
  const v1 = watermelonSchemaAt(1);
  expect(Object.keys(v1.tables).sort()).toEqual(['day_banners', 'scenes', 'scripts', 'shots']);
  expect(v1.tables.scenes!.columnArray.map((c) => c.name)).not.toContain('number_locked');
  expect(tableNamesAt(1)).toHaveLength(4);
  expect(columnNamesAt('scenes', 2)).toContain('number_locked');
});

test('the migrations to 2 create the new tables and add scenes.number_locked, derived from addedIn', () => {
  expect(watermelonMigrations.minVersion).toBe(1);
  expect(watermelonMigrations.maxVersion).toBe(schemaVersion);
  const toTwo = watermelonMigrations.sortedMigrations.find((m) => m.toVersion === 2)!;
  const created = toTwo.steps.flatMap((step) => (step.type === 'create_table' ? [step.schema.name] : []));
  expect(created).toEqual(['people', 'castings', 'breakdown_items', 'call_sheets', 'cast_calls', 'crew_calls']);
  const added = toTwo.steps.flatMap((step) =>
    step.type === 'add_columns' ? step.columns.map((c) => `${step.table}.${c.name}:${c.type}`) : [],
  );
  expect(added).toEqual(['scenes.number_locked:boolean']);
  // A migrated table ends up exactly as a fresh one.
  for (const step of toTwo.steps) {
    if (step.type === 'create_table') expect(step.schema).toEqual(watermelonSchema.tables[step.schema.name]);
  }
});
