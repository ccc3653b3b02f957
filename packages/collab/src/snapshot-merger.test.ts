import { afterAll, expect, test } from 'vitest';
import * as Y from 'yjs';
import { createSnapshotMerger, mergeSnapshotParts } from './snapshot-merger.ts';

const merger = createSnapshotMerger();
afterAll(() => merger.close());

/** A writer whose every edit is one update, as the log stores them. */
function writer(name: string) {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  const text = doc.getText('script');
  return {
    doc,
    type(words: number) {
      const start = updates.length;
      for (let i = 0; i < words; i += 1) {
        text.insert(text.length, `${name}${i} `);
        if (i % 5 === 4) text.delete(0, 2);
      }
      return updates.slice(start);
    },
  };
}

const textOf = (update: Uint8Array) => {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  return doc.getText('script').toString();
};

test('[Y11] a warm merge applies only the new rows to the doc the worker kept; a snapshot written elsewhere starts it cold', async () => {
  const a = writer('a');
  const empty = Y.encodeStateAsUpdate(new Y.Doc());
  const first = await merger.merge([empty, ...a.type(300)], 'doc-1');
  expect(merger.stats).toEqual({ warm: 0, cold: 1 });

  const rows = a.type(300);
  const second = await merger.merge([first, ...rows], 'doc-1');
  expect(merger.stats).toEqual({ warm: 1, cold: 1 });
  expect(textOf(second)).toBe(a.doc.getText('script').toString());
  expect(textOf(second)).toBe(textOf(mergeSnapshotParts([first, ...rows])));

  // Another instance compacted meanwhile, with an edit this worker never saw.
  const b = writer('b');
  Y.applyUpdate(b.doc, second);
  const elsewhere = mergeSnapshotParts([second, ...b.type(20)]);
  const third = await merger.merge([elsewhere, ...a.type(10)], 'doc-1');
  expect(merger.stats).toEqual({ warm: 1, cold: 2 });
  expect(textOf(third)).toContain('b19 ');
  expect(textOf(third)).toContain('a9 ');
  const check = new Y.Doc();
  Y.applyUpdate(check, elsewhere);
  Y.applyUpdate(check, Y.encodeStateAsUpdate(a.doc));
  expect(textOf(third)).toBe(check.getText('script').toString());
});

test('[Y11] merges without a key, or of other docs, never reuse a kept doc', async () => {
  const before = { ...merger.stats };
  const c = writer('c');
  const empty = Y.encodeStateAsUpdate(new Y.Doc());
  const once = await merger.merge([empty, ...c.type(50)]);
  await merger.merge([once, ...c.type(5)]);
  await merger.merge([once, ...c.type(5)], 'doc-2');
  expect(merger.stats).toEqual({ warm: before.warm, cold: before.cold + 3 });
});
