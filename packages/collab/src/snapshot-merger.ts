import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import * as Y from 'yjs';

/**
 * Merges a snapshot and log rows into one update: the garbage-collected encoding of the doc
 * they make (Y11). Every part is applied in ONE transaction, so Yjs cleans up and merges
 * structs once instead of once per row (2-3x faster for 2,000 rows). It is O(doc size) of
 * synchronous CPU (tens to hundreds of ms for a feature-length script), so it runs on a
 * worker thread: on the event loop it would stall every relay of every doc on the server.
 * (`Y.mergeUpdates` of the same parts costs as much again and keeps deleted content, so
 * its result was never the smaller one.)
 *
 * One worker serves every merge while merges keep coming, and it keeps nothing between
 * them: each merge builds its doc from the parts and drops it. It stops once no merge came
 * for `idleMs`, or at once when the instance unloads its last doc (`stopIfIdle`), so an idle
 * instance holds no isolate. (It used to keep a warm copy of the
 * last 8 docs it merged, to apply only the new rows next time: a second copy of the
 * busiest loaded docs, on a heap of its own, for as long as they stayed loaded. In the
 * devices soak that was most of the RSS that stepped up at compactions; a compaction's
 * cost is bounded without it, since a doc is compacted again only once its log is half
 * its snapshot.)
 */
export interface SnapshotMerger {
  merge(parts: Uint8Array[]): Promise<Uint8Array>;
  /** Merges done, and how many times a worker was started for them. */
  readonly stats: { merges: number; workerStarts: number };
  /** Whether the worker runs. */
  readonly running: boolean;
  /** Stops the worker now unless a merge is under way (the instance has no doc loaded). */
  stopIfIdle(): void;
  /** The worker's heapUsed after a full GC there, starting it if needed (tests and benchmarks). */
  workerHeapUsed(): Promise<number>;
  close(): Promise<void>;
}

export interface SnapshotMergerOptions {
  /** Stop the worker after this long without a merge (default 30 s). */
  idleMs?: number;
}

export function mergeSnapshotParts(parts: Uint8Array[]): Uint8Array {
  const doc = new Y.Doc();
  try {
    doc.transact(() => {
      for (const part of parts) Y.applyUpdate(doc, part);
    });
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}

const defaultIdleMs = 30_000;

// Plain JS on purpose: a worker does not go through the TypeScript loader the server runs
// under (tsx, vite-node), so it loads Yjs's CommonJS build by absolute path instead.
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const Y = require(workerData.yjsPath);
parentPort.on('message', ({ id, parts, heap }) => {
  if (heap) {
    // Only when asked (tests, benchmarks): a full GC, then what is live on this heap.
    const v8 = require('node:v8');
    v8.setFlagsFromString('--expose-gc');
    require('node:vm').runInNewContext('gc')();
    parentPort.postMessage({ id, heapUsed: v8.getHeapStatistics().used_heap_size });
    return;
  }
  const doc = new Y.Doc();
  try {
    doc.transact(() => {
      for (const part of parts) Y.applyUpdate(doc, part);
    });
    parentPort.postMessage({ id, merged: Y.encodeStateAsUpdate(doc) });
  } catch (error) {
    parentPort.postMessage({ id, error: String((error && error.message) || error) });
  } finally {
    doc.destroy();
  }
});
`;

interface Pending {
  resolve(message: WorkerAnswer): void;
  reject(error: Error): void;
}

interface WorkerAnswer {
  id: number;
  merged?: Uint8Array;
  heapUsed?: number;
  error?: string;
}

export function createSnapshotMerger(options: SnapshotMergerOptions = {}): SnapshotMerger {
  const idleMs = options.idleMs ?? defaultIdleMs;
  let worker: Worker | null = null;
  let idleTimer: ReturnType<typeof setTimeout> | null = null;
  let nextId = 0;
  const pending = new Map<number, Pending>();
  const stats = { merges: 0, workerStarts: 0 };

  // Only the current worker's end fails the requests: one stopped on purpose has none left.
  const failAll = (from: Worker, error: Error) => {
    if (worker !== from) return;
    for (const entry of pending.values()) entry.reject(error);
    pending.clear();
    worker = null;
  };

  const stopIdle = () => {
    idleTimer = null;
    if (!worker || pending.size > 0) return;
    const idle = worker;
    worker = null;
    void idle.terminate();
  };

  const start = (): Worker => {
    stats.workerStarts += 1;
    const started = new Worker(workerSource, {
      eval: true,
      // A merge's garbage is short-lived and the worker idles between merges: with V8's
      // default young generation (up to 3 x 16 MB) a running worker held ~45 MB of RSS after
      // merging 8 big docs, with 4 MB ~14 MB (bench/merger-rss.ts).
      resourceLimits: { maxYoungGenerationSizeMb: 4 },
      workerData: { yjsPath: createRequire(import.meta.url).resolve('yjs') },
    });
    started.on('message', (message: WorkerAnswer) => {
      const entry = pending.get(message.id);
      if (!entry) return;
      pending.delete(message.id);
      if (message.error === undefined) entry.resolve(message);
      else entry.reject(new Error(`snapshot merge failed: ${message.error}`));
      if (pending.size === 0) {
        // Idle: it must not keep the process alive, and it stops if no merge comes.
        started.unref();
        idleTimer = setTimeout(stopIdle, idleMs);
        idleTimer.unref();
      }
    });
    started.on('error', (error: Error) => failAll(started, error));
    started.on('exit', (code) => failAll(started, new Error(`snapshot merge worker exited (${code})`)));
    return started;
  };

  const ask = (message: { parts?: Uint8Array[]; heap?: true }): Promise<WorkerAnswer> =>
    new Promise((resolve, reject) => {
      if (idleTimer) clearTimeout(idleTimer);
      idleTimer = null;
      worker ??= start();
      worker.ref();
      const id = nextId++;
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, ...message });
    });

  return {
    async merge(parts) {
      const answer = await ask({ parts });
      stats.merges += 1;
      return answer.merged as Uint8Array;
    },
    async workerHeapUsed() {
      return (await ask({ heap: true })).heapUsed as number;
    },
    stopIfIdle() {
      if (idleTimer) clearTimeout(idleTimer);
      stopIdle();
    },
    stats,
    get running() {
      return worker !== null;
    },
    async close() {
      if (idleTimer) clearTimeout(idleTimer);
      idleTimer = null;
      const running = worker;
      worker = null;
      if (running) await running.terminate();
    },
  };
}
