import { type TestDatabase, createTestDatabase } from '@clapper/db';
import type { RawRecord } from '@clapper/schema';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createSyncService } from './index.ts';
import { type ParsingSyncService, createProject, newId, parsing } from './test-project.ts';

/**
 * Randomized: groups of pushes (creates, partial updates, deletes over a few ids) are
 * fired concurrently, so they are group-committed in arrival order. The server must end
 * in the state of applying them one by one (the model), and a client pulling
 * incrementally after every group must reconstruct exactly what a first pull returns.
 */
let db: TestDatabase;
let sync: ParsingSyncService;

beforeAll(async () => {
  db = await createTestDatabase();
  sync = parsing(createSyncService({ pool: db.pool }));
});
afterAll(async () => {
  await sync?.close();
  await db?.drop();
});

const columns = ['number', 'heading', 'location', 'synopsis'] as const;
type Column = (typeof columns)[number];
type Op =
  | { kind: 'created' | 'updated'; id: string; values: Partial<Record<Column, string>>; changed: Column[] }
  | { kind: 'deleted'; id: string };

const idArb = fc.constantFrom('s1', 's2', 's3', 's4');
const valuesArb = fc.record(
  {
    number: fc.constantFrom('1', '2', '3'),
    heading: fc.constantFrom('INT. A', 'EXT. B', 'INT. C'),
    location: fc.constantFrom('a', 'b'),
    synopsis: fc.constantFrom('', 'x', 'y'),
  },
  { requiredKeys: [] },
);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('created' as const),
    id: idArb,
    values: valuesArb,
    // Edited after creation, or chosen by the creator of a shared id (the rest: its blanks).
    changed: fc.subarray([...columns]),
  }),
  fc.record({
    kind: fc.constant('updated' as const),
    id: idArb,
    values: valuesArb,
    changed: fc.subarray([...columns]),
  }),
  fc.record({ kind: fc.constant('deleted' as const), id: idArb }),
);

interface ModelRow {
  values: Record<Column, string>;
  deleted: boolean;
}

function applyToModel(model: Map<string, ModelRow>, op: Op) {
  const row = model.get(op.id);
  if (op.kind === 'deleted') {
    if (row) row.deleted = true;
    return;
  }
  if (!row) {
    model.set(op.id, { values: { number: '', heading: '', location: '', synopsis: '', ...op.values }, deleted: false });
    return;
  }
  if (row.deleted) return;
  // Created or updated, an existing row changes in the _changed columns only.
  for (const c of op.changed.filter((c) => c in op.values)) row.values[c] = op.values[c]!;
}

function changesFor(op: Op) {
  if (op.kind === 'deleted') return { scenes: { created: [], updated: [], deleted: [op.id] } };
  const raw: RawRecord = { id: op.id, ...op.values };
  if (op.kind === 'updated')
    return {
      scenes: { created: [], updated: [{ ...raw, _status: 'updated', _changed: op.changed.join(',') }], deleted: [] },
    };
  return {
    scenes: { created: [{ ...raw, _status: 'created', _changed: op.changed.join(',') }], updated: [], deleted: [] },
  };
}

const strip = (r: RawRecord) => ({ number: r.number, heading: r.heading, location: r.location, synopsis: r.synopsis });

test('[U2][U3][U5][U10][P2][P3] concurrent pushes end as if applied one by one; incremental pulls rebuild the first pull', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.array(opArb, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 5 }),
      async (groups) => {
        const projectId = await createProject(db.pool);
        const model = new Map<string, ModelRow>();
        const local = new Map<string, RawRecord>();
        let lastPulledAt: number | null = null;
        for (const group of groups) {
          await Promise.all(
            group.map((op) => sync.push({ projectId, pushId: newId(), lastPulledAt: null, changes: changesFor(op) })),
          );
          for (const op of group) applyToModel(model, op);
          const pulled = await sync.pull({ projectId, lastPulledAt });
          const scenes = pulled.changes.scenes!;
          for (const raw of [...scenes.created, ...scenes.updated]) local.set(raw.id, raw);
          for (const id of scenes.deleted) local.delete(id);
          lastPulledAt = pulled.timestamp;
        }
        const expected = Object.fromEntries([...model].filter(([, r]) => !r.deleted).map(([id, r]) => [id, r.values]));
        const full = await sync.pull({ projectId, lastPulledAt: null });
        expect(Object.fromEntries(full.changes.scenes!.created.map((r) => [r.id, strip(r)]))).toEqual(expected);
        expect(Object.fromEntries([...local].map(([id, r]) => [id, strip(r)]))).toEqual(expected);
      },
    ),
    { numRuns: 40 },
  );
});
