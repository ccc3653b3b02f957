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

const empty = Y.encodeStateAsUpdate(new Y.Doc());

test('[Y11] a merge is the doc the snapshot and the rows make, whoever wrote the snapshot', async () => {
  const a = writer('a');
  const first = await merger.merge([empty, ...a.type(300)]);
  const rows = a.type(300);
  const second = await merger.merge([first, ...rows]);
  expect(textOf(second)).toBe(a.doc.getText('script').toString());
  expect(textOf(second)).toBe(textOf(mergeSnapshotParts([first, ...rows])));

  // Another instance compacted meanwhile, with an edit this instance never saw.
  const b = writer('b');
  Y.applyUpdate(b.doc, second);
  const elsewhere = mergeSnapshotParts([second, ...b.type(20)]);
  const third = await merger.merge([elsewhere, ...a.type(10)]);
  expect(textOf(third)).toContain('b19 ');
  expect(textOf(third)).toContain('a9 ');
  const check = new Y.Doc();
  Y.applyUpdate(check, elsewhere);
  Y.applyUpdate(check, Y.encodeStateAsUpdate(a.doc));
  expect(textOf(third)).toBe(check.getText('script').toString());
});

test('[Y11] one worker serves compactions while they keep coming and stops once none came for a while', async () => {
  const own = createSnapshotMerger({ idleMs: 300 });
  try {
    const docs = ['c', 'd', 'e'].map(writer);
    const snapshots = docs.map(() => empty);
    for (let round = 0; round < 4; round += 1) {
      for (const [i, doc] of docs.entries())
        snapshots[i] = await own.merge([snapshots[i] as Uint8Array, ...doc.type(40)]);
    }
    // 12 compactions of 3 docs, one after the other: one worker, not one per compaction.
    expect(own.stats).toEqual({ merges: 12, workerStarts: 1 });
    expect(own.running).toBe(true);

    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(own.running).toBe(false);
    // The next compaction starts a new one, and is right.
    const next = await own.merge([snapshots[0] as Uint8Array, ...(docs[0]?.type(5) ?? [])]);
    expect(own.stats).toEqual({ merges: 13, workerStarts: 2 });
    expect(textOf(next)).toBe(docs[0]?.doc.getText('script').toString());
  } finally {
    await own.close();
  }
});

test('[Y11] the worker keeps no copy of a doc it merged: its heap after a merge is back to what it was', async () => {
  const own = createSnapshotMerger();
  try {
    // A doc whose Yjs structs take ~10 MB of heap (keystrokes that never merge into one struct).
    const doc = new Y.Doc();
    const rows: Uint8Array[] = [];
    doc.on('update', (update: Uint8Array) => rows.push(update));
    const text = doc.getText('script');
    const stamps = doc.getArray<number>('stamps');
    for (let i = 0; i < 15_000; i += 1) {
      doc.transact(() => {
        text.insert(text.length, 'x');
        stamps.push([i]);
        if (stamps.length > 4) stamps.delete(0, 1);
      });
    }
    const idle = await own.workerHeapUsed();
    const merged = await own.merge([empty, ...rows]);
    const afterOne = await own.merge([merged, ...rows.slice(-10)]);
    expect(textOf(afterOne)).toBe(text.toString());
    const after = await own.workerHeapUsed();
    // A kept copy of this doc is several MB on the worker's heap.
    expect(after - idle).toBeLessThan(1024 * 1024);
    expect(own.stats.workerStarts).toBe(1);
  } finally {
    await own.close();
  }
});
