import { expect, test } from 'vitest';
import { pushLimits, validatePushChanges } from './index.ts';

const columns = { scene_id: 'scene1', label: '1A', duration_s: 3, done: false };
const shot = { id: 'shot1', ...columns };

test('a well-formed push normalizes to upserts and deletes, honouring _changed', () => {
  const result = validatePushChanges({
    shots: { created: [], updated: [{ ...shot, _status: 'updated', _changed: 'label' }], deleted: ['shot2'] },
  });
  expect(result).toEqual({
    ok: true,
    recordCount: 2,
    changes: { shots: { upserts: [{ id: 'shot1', values: columns, changed: ['label'] }], deletes: ['shot2'] } },
  });
});

test('a created record changes only its _changed columns of an existing row (all sent ones without _changed)', () => {
  const result = validatePushChanges({
    shots: {
      created: [
        { ...shot, _status: 'created', _changed: 'label' },
        { ...shot, id: 'shot2', _status: 'created', _changed: '' },
        { ...shot, id: 'shot3' },
      ],
      updated: [],
      deleted: [],
    },
  });
  expect(result).toMatchObject({
    ok: true,
    changes: {
      shots: {
        upserts: [
          { id: 'shot1', values: columns, changed: ['label'] },
          { id: 'shot2', values: columns, changed: [] },
          { id: 'shot3', values: columns, changed: ['scene_id', 'label', 'duration_s', 'done'] },
        ],
      },
    },
  });
});

test.each([
  [{ props: { created: [], updated: [], deleted: [] } }, 'unknown table "props"'],
  [
    { shots: { created: [{ ...shot, colour: 'red' }], updated: [], deleted: [] } },
    'shots has no column "colour" (record shot1)',
  ],
  [
    { shots: { created: [{ ...shot, duration_s: 'long' }], updated: [], deleted: [] } },
    'shots.duration_s must be a number or null (record shot1)',
  ],
  [
    { shots: { created: [{ ...shot, done: 1 }], updated: [], deleted: [] } },
    'shots.done must be a boolean (record shot1)',
  ],
  [{ shots: { created: [{ ...shot, id: 'no spaces allowed' }], updated: [], deleted: [] } }, 'shots.id must be'],
  [
    { shots: { created: [], updated: [{ ...shot, _changed: 'label,colour' }], deleted: [] } },
    'shots has no column "colour"',
  ],
  [{ shots: { created: [], updated: [], deleted: [42] } }, 'shots.deleted: id 42'],
  [
    { shots: { created: [{ ...shot, label: 'a\u0000b' }], updated: [], deleted: [] } },
    'shots.label: must not contain NUL',
  ],
])('bad input is refused with a message naming the problem (%#)', (changes, message) => {
  const result = validatePushChanges(changes);
  expect(result.ok).toBe(false);
  if (!result.ok) {
    expect(result.code).toBe('BAD_REQUEST');
    expect(result.message).toContain(message);
  }
});

test('a push over the record limit is PAYLOAD_TOO_LARGE', () => {
  const deleted = Array.from({ length: pushLimits.maxRecords + 1 }, (_, i) => `s${i}`);
  const result = validatePushChanges({ shots: { created: [], updated: [], deleted } });
  expect(result).toMatchObject({ ok: false, code: 'PAYLOAD_TOO_LARGE' });
});
