import { validatePushChanges } from '@clapper/schema';
import { expect, test } from 'vitest';
import type { ValidatedPush } from './apply-push.ts';
import { oneStatementPush } from './one-statement-push.ts';

function push(pushId: string, changes: unknown): ValidatedPush {
  const validated = validatePushChanges(changes);
  if (!validated.ok) throw new Error(validated.message);
  return { pushId, changes: validated.changes, recordCount: validated.recordCount };
}

const labelEdit = (id: string, label: string) => ({
  shots: { created: [], updated: [{ id, label, _status: 'updated', _changed: 'label' }], deleted: [] },
});

test('[U16] batches of one shape share a statement; its values are always the batch’s own', () => {
  const first = oneStatementPush('p1', [push('a', labelEdit('shot1', 'one'))]);
  const second = oneStatementPush('p2', [push('b', labelEdit('shot2', 'two'))]);
  expect(first.name).toMatch(/^clapper-push-/);
  expect(second.name).toBe(first.name);
  expect(second.text).toBe(first.text);
  expect(first.values).toEqual(['p1', ['a'], ['a'], ['shot1'], ['one']]);
  expect(second.values).toEqual(['p2', ['b'], ['b'], ['shot2'], ['two']]);
});

test('[U16] another shape (columns, tables, deletes) gets its own statement, numbered to its parameters', () => {
  const shapes = [
    [push('c', labelEdit('shot1', 'x'))],
    [push('d', { shots: { created: [], updated: [{ id: 'shot1', label: 'x', lens: '50mm', _status: 'updated', _changed: 'label,lens' }], deleted: [] } })],
    [push('e', { shots: { created: [], updated: [], deleted: ['shot1'] } })],
    [push('f', labelEdit('shot1', 'x')), push('g', { scenes: { created: [], updated: [], deleted: ['scene1'] } })],
  ];
  const statements = shapes.map((pushes) => oneStatementPush('p', pushes));
  expect(new Set(statements.map((s) => s.name)).size).toBe(shapes.length);
  expect(new Set(statements.map((s) => s.text)).size).toBe(shapes.length);
  for (const { text, values } of statements) {
    const highest = Math.max(...[...text.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
    expect(highest).toBe(values.length);
  }
  // The same shape again, after others: the statement it had before.
  expect(oneStatementPush('q', shapes[1]!)).toMatchObject({ name: statements[1]!.name, text: statements[1]!.text });
});
