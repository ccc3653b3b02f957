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

test('[Y11] a forgotten doc is dropped; with none kept the worker stops, and the next merge starts a new one', async () => {
  const own = createSnapshotMerger();
  try {
    const d = writer('d');
    const e = writer('e');
    const empty = Y.encodeStateAsUpdate(new Y.Doc());
    await own.merge([empty, ...d.type(50)], 'doc-d');
    const eFirst = await own.merge([empty, ...e.type(50)], 'doc-e');
    expect({ warmDocs: own.warmDocs, running: own.running }).toEqual({ warmDocs: 2, running: true });

    own.forget('doc-d');
    expect({ warmDocs: own.warmDocs, running: own.running }).toEqual({ warmDocs: 1, running: true });
    // doc-e is still warm.
    const eSecond = await own.merge([eFirst, ...e.type(5)], 'doc-e');
    expect(own.stats).toEqual({ warm: 1, cold: 2 });

    own.forget('doc-e');
    expect({ warmDocs: own.warmDocs, running: own.running }).toEqual({ warmDocs: 0, running: false });
    // Cold in a fresh worker, and right.
    const eThird = await own.merge([eSecond, ...e.type(5)], 'doc-e');
    expect(own.stats).toEqual({ warm: 1, cold: 3 });
    expect(own.running).toBe(true);
    expect(textOf(eThird)).toBe(e.doc.getText('script').toString());
  } finally {
    await own.close();
  }
});
