// What the benchmark's Yjs docs cost by themselves: a fresh process (forked by
// bench/devices.ts with --expose-gc) reads every doc stored in the server's database (its
// snapshot and log rows, which are exactly what the server's loaded copy holds: Y5) and
// holds them as the server does (a DocState per doc, its update bytes: Y17), adding the
// rows one by one; heapUsed and arrayBuffers after a full GC with the docs minus without
// them are their cost. The soak reports the server's memory net of it, so what grows with
// the typed content is told apart from what would be a leak. The same docs as Y.Docs (what
// a client holds, and the server did before Y17) are measured too, for comparison.
//   IPC out: {type:'doc-heap', docs, heapBytes, arrayBufferBytes, yDocHeapBytes, encodedBytes, structs}
import pg from 'pg';
import { DocState } from '@clapper/collab';
import * as Y from 'yjs';

export interface DocHeap {
  docs: number;
  /** heapUsed after GC with every doc held as the server holds it, minus before (bytes). */
  heapBytes: number;
  /** The same for arrayBuffers (the docs' bytes live there). */
  arrayBufferBytes: number;
  /** heapUsed of the same docs as Y.Docs. */
  yDocHeapBytes: number;
  /** Y.encodeStateAsUpdate of each doc, summed: the docs as a client would download them. */
  encodedBytes: number;
  /** Structs (items, GC ranges) in the docs' stores. */
  structs: number;
}

const gc = (globalThis as { gc?: () => void }).gc;
const url = process.env.BENCH_DOC_HEAP_DATABASE_URL;
if (!gc || !url || !process.send) throw new Error('doc-heap is forked by bench/devices.ts with --expose-gc');

const client = new pg.Client({ connectionString: url });
await client.connect();
const { rows } = await client.query<{ project_id: string; doc_name: string; data: Buffer }>(
  `SELECT project_id, doc_name, data FROM (
     SELECT project_id, doc_name, data, false AS is_log, 0::bigint AS seq FROM yjs_snapshots
     UNION ALL SELECT project_id, doc_name, data, true AS is_log, seq FROM yjs_updates) r
   ORDER BY project_id, doc_name, is_log, seq`,
);
await client.end();
const updates = new Map<string, Uint8Array[]>();
for (const row of rows) {
  const key = `${row.project_id}/${row.doc_name}`;
  let list = updates.get(key);
  if (!list) updates.set(key, (list = []));
  list.push(new Uint8Array(row.data));
}
rows.length = 0;
const memory = () => {
  gc();
  gc();
  return process.memoryUsage();
};
const before = memory();
const held: DocState[] = [];
for (const list of updates.values()) {
  const state = new DocState();
  // Its own copy of each row, as the server has (read from PostgreSQL); the rows stay held for the Y.Docs below.
  for (const update of list) state.add(update.slice());
  held.push(state);
}
// The rows' bytes are still held, as they were for `before`: the difference is the docs.
const withStates = memory();
const docs: Y.Doc[] = [];
for (const list of updates.values()) {
  const doc = new Y.Doc({ gc: true });
  for (const update of list) Y.applyUpdate(doc, update);
  docs.push(doc);
}
const withDocs = memory();
updates.clear();
let encodedBytes = 0;
let structs = 0;
for (const doc of docs) {
  encodedBytes += Y.encodeStateAsUpdate(doc).length;
  for (const list of doc.store.clients.values()) structs += list.length;
}
const heapBytes = withStates.heapUsed - before.heapUsed;
const arrayBufferBytes = withStates.arrayBuffers - before.arrayBuffers;
const yDocHeapBytes = withDocs.heapUsed - withStates.heapUsed;
process.send(
  {
    type: 'doc-heap',
    docs: held.length,
    heapBytes,
    arrayBufferBytes,
    yDocHeapBytes,
    encodedBytes,
    structs,
  } satisfies DocHeap & {
    type: string;
  },
  () => process.exit(0),
);
