// What the snapshot merger's worker leaves in the process's RSS (issue 12.4): builds docs
// typed as the devices benchmark types them, compacts them through the server's merger
// (the worker starts, merges, idles and stops) cycle after cycle, and prints RSS and heap
// after a full GC at each step, and the worker's own heap while it runs. Run under different allocators to tell a leak (grows
// every cycle) from memory the allocator keeps (a step that stays, then flat):
//   node --expose-gc --import tsx bench/merger-rss.ts
//   MALLOC_ARENA_MAX=2 node ...   LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2 node ...
//   BENCH_MERGER_DOCS=8 BENCH_MERGER_KEYS=20000 BENCH_MERGER_CYCLES=6 BENCH_MERGER_STAMPS=1
//   (STAMPS=1: the keystrokes of bench/yjs-typing.ts's `stamps: true` typist, which never merge)
import * as Y from 'yjs';
import { createSnapshotMerger } from '@clapper/collab';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const docsCount = Number(process.env.BENCH_MERGER_DOCS ?? 8);
const keystrokes = Number(process.env.BENCH_MERGER_KEYS ?? 20_000);
const cycles = Number(process.env.BENCH_MERGER_CYCLES ?? 6);
const stamps = process.env.BENCH_MERGER_STAMPS !== '0';
const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function typed(index: number): Uint8Array[] {
  const doc = new Y.Doc();
  const rows: Uint8Array[] = [];
  const batch: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => {
    batch.push(u);
    if (batch.length === 2) rows.push(Y.mergeUpdates(batch.splice(0)));
  });
  const text = doc.getText('script');
  const lat = doc.getArray<number>(`lat:${index}`);
  let cursor = 0;
  for (let count = 0; count < keystrokes; count++) {
    doc.transact(() => {
      if (count % 97 === 0) cursor = Math.floor(Math.random() * (text.length + 1));
      cursor = Math.min(cursor, text.length);
      if (count % 11 === 10 && cursor > 0) text.delete(--cursor, 1);
      else text.insert(cursor++, String.fromCharCode(97 + (count % 26)));
      if (stamps) {
        lat.push([Date.now() + Math.random()]);
        if (lat.length > 4) lat.delete(0, lat.length - 4);
      }
    });
  }
  doc.destroy();
  return rows;
}

const sample = async (label: string) => {
  gc();
  await sleep(200);
  gc();
  const m = process.memoryUsage();
  console.log(
    `${label.padEnd(34)} rss ${mb(m.rss).padStart(6)}  heapUsed ${mb(m.heapUsed).padStart(6)}  heapTotal ${mb(m.heapTotal).padStart(6)}  external ${mb(m.external).padStart(5)}`,
  );
  return m.rss;
};

const empty = Y.encodeStateAsUpdate(new Y.Doc());
const docs = Array.from({ length: docsCount }, (_, i) => typed(i));
await sample(`built ${docsCount} docs × ${keystrokes} keys`);
const idleMs = 1_000;
const merger = createSnapshotMerger({ idleMs });
const snapshots = docs.map(() => empty);
for (let cycle = 1; cycle <= cycles; cycle++) {
  for (let d = 0; d < docs.length; d++) {
    const rows = docs[d] as Uint8Array[];
    // Half the rows each compaction, as a loaded doc's log grows between compactions.
    const half = rows.length >> 1;
    const first = await merger.merge([snapshots[d] as Uint8Array, ...rows.slice(0, half)]);
    snapshots[d] = await merger.merge([first, ...rows.slice(half)]);
  }
  const workerHeap = await merger.workerHeapUsed();
  await sample(`cycle ${cycle}: merged, worker heap ${mb(workerHeap)}`);
  await sleep(idleMs + 500);
  await sample(`cycle ${cycle}: idle, worker ${merger.running ? 'running' : 'stopped'}`);
  for (let d = 0; d < docs.length; d++) snapshots[d] = empty;
}
console.log(`merges: ${JSON.stringify(merger.stats)}`);
await merger.close();
