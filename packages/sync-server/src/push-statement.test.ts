import { createPool } from '@clapper/db';
import { validatePushChanges } from '@clapper/schema';
import { expect, test } from 'vitest';
import { PushStatements } from './push-statement.ts';
import type { ValidatedPush } from './sync-request.ts';

function push(pushId: string, changes: unknown): ValidatedPush {
  const validated = validatePushChanges(changes);
  if (!validated.ok) throw new Error(validated.message);
  return { pushId, changes: validated.changes, recordCount: validated.recordCount };
}

const labelEdit = (id: string, label: string) => ({
  shots: { created: [], updated: [{ id, label, _status: 'updated', _changed: 'label' }], deleted: [] },
});

// Pools that never connect: statements are only built here.
const pool = () => createPool('postgresql://nobody@127.0.0.1:1/none', 1);

test('[U16] batches of one shape share a statement; its values are always the batch’s own', () => {
  const statements = new PushStatements();
  const first = statements.statementFor('p1', [push('a', labelEdit('shot1', 'one'))]);
  const second = statements.statementFor('p2', [push('b', labelEdit('shot2', 'two'))]);
  expect(first.name).toMatch(/^clapper-push-/);
  expect(second.name).toBe(first.name);
  expect(second.text).toBe(first.text);
  expect(first.values).toEqual(['p1', ['a'], ['a'], ['shot1'], ['one']]);
  expect(second.values).toEqual(['p2', ['b'], ['b'], ['shot2'], ['two']]);
});

test('[U16] another shape (columns, tables, deletes, merged writes) gets its own statement, numbered to its parameters', () => {
  const statements = new PushStatements();
  const shapes = [
    [push('c', labelEdit('shot1', 'x'))],
    [
      push('d', {
        shots: {
          created: [],
          updated: [{ id: 'shot1', label: 'x', lens: '50mm', _status: 'updated', _changed: 'label,lens' }],
          deleted: [],
        },
      }),
    ],
    [push('e', { shots: { created: [], updated: [], deleted: ['shot1'] } })],
    [push('f', labelEdit('shot1', 'x')), push('g', { scenes: { created: [], updated: [], deleted: ['scene1'] } })],
    // Two pushes to one record: one merged write, and the guard's parameter.
    [push('h', labelEdit('shot1', 'x')), push('i', { shots: { created: [], updated: [], deleted: ['shot1'] } })],
  ];
  const built = shapes.map((pushes) => statements.statementFor('p', pushes));
  expect(new Set(built.map((s) => s.name)).size).toBe(shapes.length);
  expect(new Set(built.map((s) => s.text)).size).toBe(shapes.length);
  for (const { text, values } of built) {
    const highest = Math.max(...[...text.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
    expect(highest).toBe(values.length);
  }
  expect(built[4]!.values.at(-1)).toEqual(['h', 'i']);
  // The same shape again, after others: the statement it had before.
  expect(statements.statementFor('q', shapes[1]!)).toMatchObject({ name: built[1]!.name, text: built[1]!.text });
});

test('[U16] the statement cache belongs to a pool: each pool numbers its own shapes, one pool always gets the same cache', async () => {
  const [a, b] = [pool(), pool()];
  try {
    expect(PushStatements.of(a)).toBe(PushStatements.of(a));
    expect(PushStatements.of(a)).not.toBe(PushStatements.of(b));
    const inA = PushStatements.of(a).statementFor('p', [
      push('a', { shots: { created: [], updated: [], deleted: ['shot1'] } }),
    ]);
    const inB = PushStatements.of(b).statementFor('p', [push('b', labelEdit('shot1', 'x'))]);
    expect(inA.name).toBe('clapper-push-0');
    expect(inB.name).toBe('clapper-push-0');
    expect(inB.text).not.toBe(inA.text);
  } finally {
    await Promise.all([a.end(), b.end()]);
  }
});
