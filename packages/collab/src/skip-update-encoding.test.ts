// Real Yjs: which transactions emit 'update' (each one Yjs encoded) with the skip installed.
import { expect, test } from 'vitest';
import * as Y from 'yjs';
import { needEveryUpdate, skipUpdateEncoding } from './skip-update-encoding.ts';

const load = Symbol('local copy');

function watched() {
  const doc = new Y.Doc();
  const seen: unknown[] = [];
  doc.on('update', (_update: Uint8Array, origin: unknown) => seen.push(origin));
  const undo = skipUpdateEncoding(doc, (transaction) => transaction.origin === load);
  return { doc, seen, undo };
}

test('a skipped transaction emits no update; the ones before and after it do, listeners added meanwhile stay', () => {
  const { doc, seen, undo } = watched();
  doc.transact(() => doc.getText('t').insert(0, 'a'), 'before');
  doc.transact(() => doc.getText('t').insert(1, 'b'.repeat(10_000)), load);
  const late: unknown[] = [];
  doc.on('update', (_u: Uint8Array, origin: unknown) => late.push(origin));
  doc.transact(() => doc.getText('t').insert(0, 'c'), 'after');
  expect(seen).toEqual(['before', 'after']);
  expect(late).toEqual(['after']);
  undo();
  doc.transact(() => doc.getText('t').insert(0, 'd'), load);
  expect(seen).toEqual(['before', 'after', load]);
});

test('a transaction made by an observer of a skipped one (same cleanup batch) still emits its update', () => {
  const { doc, seen } = watched();
  const text = doc.getText('t');
  text.observe((event) => {
    if (event.transaction.origin === load) doc.transact(() => doc.getMap('m').set('seen', true), 'observer');
  });
  doc.transact(() => text.insert(0, 'x'), load);
  expect(seen).toEqual(['observer']);
});

test('while a reader needs every update, nothing is skipped', () => {
  const { doc, seen } = watched();
  const release = needEveryUpdate(doc);
  doc.transact(() => doc.getText('t').insert(0, 'a'), load);
  release();
  release();
  doc.transact(() => doc.getText('t').insert(0, 'b'), load);
  expect(seen).toEqual([load]);
});
