// What holding a loaded doc costs the server, as a Y.Doc (before Y17) and as its update
// bytes (DocState): memory, loading it, and answering a joining client's sync step 1 (the
// whole doc) and a reconnecting one's (the last keystrokes). A feature-length script's
// worth of keystrokes typed by a few writers, each keystroke one update as the server
// receives them.   npx tsx --expose-gc bench/doc-state-cost.ts [keystrokes=100000]
import * as Y from 'yjs';
import { DocState } from '@clapper/collab';
import { percentile, round } from './stats.ts';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const keystrokes = Number(process.argv[2] ?? 100_000);

/** Writers type into one XmlText, each at its own place, with backspaces, as a script is written. */
function typedUpdates(): Uint8Array[] {
  const writers = [1, 2, 3].map((id) => {
    const doc = new Y.Doc();
    doc.clientID = id;
    return doc;
  });
  const updates: Uint8Array[] = [];
  for (const doc of writers) doc.on('update', (update: Uint8Array) => updates.push(update));
  let seed = 7;
  const next = () => (seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff) / 0x7fffffff;
  const cursors = writers.map(() => 0);
  for (let i = 0; i < keystrokes; i += 1) {
    const w = i % writers.length;
    const doc = writers[w] as Y.Doc;
    const text = doc.getText('root');
    let at = Math.min(cursors[w] as number, text.length);
    if (next() < 0.01) at = Math.floor(next() * (text.length + 1)); // the cursor jumps
    if (at > 0 && next() < 0.08) {
      text.delete(at - 1, 1);
      cursors[w] = at - 1;
    } else {
      text.insert(at, next() < 0.15 ? ' ' : String.fromCharCode(97 + Math.floor(next() * 26)));
      cursors[w] = at + 1;
    }
    // The writers see each other now and then (a relay).
    if (i % 50 === 0) {
      for (const other of writers)
        if (other !== doc) Y.applyUpdate(other, Y.encodeStateAsUpdate(doc, Y.encodeStateVector(other)));
    }
  }
  return updates;
}

function memory(): number {
  gc!();
  gc!();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

function time(runs: number, work: () => void): number {
  const ms: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const t = performance.now();
    work();
    ms.push(performance.now() - t);
  }
  return round(percentile(ms, 0.5), 2);
}

const updates = typedUpdates();
// As loaded: the compacted snapshot of all but the last 200 keystrokes (one Y.mergeUpdates of
// thousands of updates would take minutes: it re-sorts its inputs at every struct run).
const stored = (() => {
  const doc = new Y.Doc();
  for (const update of updates.slice(0, -200)) Y.applyUpdate(doc, update);
  return Y.encodeStateAsUpdate(doc);
})();
const recent = updates.slice(-200);
const emptyStateVector = Y.encodeStateVector(new Y.Doc());

const base = memory();
const held = new Y.Doc({ gc: true });
Y.applyUpdate(held, stored);
for (const update of recent) Y.applyUpdate(held, update);
const asDoc = memory() - base;
const heldState = new DocState();
heldState.add(stored.slice()); // its own copy, as the server's is (read from PostgreSQL)
for (const update of recent) heldState.add(update);
const asBytes = memory() - base - asDoc;

// The last 200 keystrokes arrive one by one on a doc loaded without them.
const doc = new Y.Doc({ gc: true });
Y.applyUpdate(doc, stored);
const state = new DocState();
state.add(stored);
const perKeystroke = (work: () => void) => round(time(1, work) / recent.length, 4);
const addKeystrokeMs = {
  yDoc: perKeystroke(() => recent.forEach((u) => Y.applyUpdate(doc, u))),
  docState: perKeystroke(() => recent.forEach((u) => state.add(u))),
};
const reconnecting = (() => {
  const client = new Y.Doc();
  Y.applyUpdate(client, stored);
  return Y.encodeStateVector(client);
})();

const rows = {
  keystrokes,
  updates: updates.length,
  storedBytes: stored.length,
  memoryMb: { yDoc: round(asDoc / 1048576, 2), docState: round(asBytes / 1048576, 2) },
  loadMs: {
    yDoc: time(5, () => Y.applyUpdate(new Y.Doc(), stored)),
    docState: time(5, () => new DocState().add(stored)),
  },
  addKeystrokeMs,
  joinStep2Ms: {
    yDoc: time(9, () => Y.encodeStateAsUpdate(doc, emptyStateVector)),
    docState: time(9, () => state.diff(emptyStateVector)),
  },
  reconnectStep2Ms: {
    yDoc: time(9, () => Y.encodeStateAsUpdate(doc, reconnecting)),
    docState: time(9, () => state.diff(reconnecting)),
  },
  joinStep1Ms: {
    yDoc: time(9, () => Y.encodeStateVector(doc)),
    docState: time(9, () => state.stateVector()),
  },
  fullStateBytes: { yDoc: Y.encodeStateAsUpdate(doc).length, docState: state.update().length },
  held: [held.clientID, heldState.bytes],
};
console.log(JSON.stringify(rows, null, 2));
