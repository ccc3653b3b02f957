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
 */
export interface SnapshotMerger {
  /**
   * `parts[0]` is the stored snapshot. With a `warmKey` (the doc's name) the worker keeps
   * the doc it built, and next time, if the snapshot it is given is exactly what it
   * returned (same SHA-256), applies only the new rows to it instead of rebuilding the
   * whole doc from the snapshot. A snapshot written elsewhere (another instance's
   * compaction) doesn't match, and the merge starts cold. The worker keeps at most
   * `maxKeptDocs` docs, each until it is forgotten.
   */
  merge(parts: Uint8Array[], warmKey?: string): Promise<Uint8Array>;
  /**
   * The doc unloaded: its kept copy goes. With none kept and no merge running the worker
   * stops, and its heap (an isolate, plus a copy of each doc it kept) is given back.
   */
  forget(warmKey: string): void;
  /** Merges that reused a kept doc, and merges that built one from scratch. */
  readonly stats: { warm: number; cold: number };
  /** Docs kept warm (not yet forgotten), and whether the worker runs. */
  readonly warmDocs: number;
  readonly running: boolean;
  close(): Promise<void>;
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

/** Docs the worker keeps warm; each costs about what the server's own copy of it does. */
const maxKeptDocs = 8;

// Plain JS on purpose: a worker does not go through the TypeScript loader the server runs
// under (tsx, vite-node), so it loads Yjs's CommonJS build by absolute path instead.
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const Y = require(workerData.yjsPath);
const maxKept = ${maxKeptDocs};
// warmKey -> { hash of the snapshot it produced, the doc it encodes }; insertion order is LRU order.
const kept = new Map();
const hashOf = (bytes) => createHash('sha256').update(bytes).digest('hex');
parentPort.on('message', ({ id, parts, warmKey, forget }) => {
  if (forget !== undefined) {
    kept.get(forget)?.doc.destroy();
    kept.delete(forget);
    return;
  }
  try {
    const entry = warmKey === undefined ? undefined : kept.get(warmKey);
    if (entry) kept.delete(warmKey);
    const warm = entry !== undefined && parts.length > 0 && entry.hash === hashOf(parts[0]);
    if (entry && !warm) entry.doc.destroy();
    const doc = warm ? entry.doc : new Y.Doc();
    doc.transact(() => {
      for (const part of warm ? parts.slice(1) : parts) Y.applyUpdate(doc, part);
    });
    const merged = Y.encodeStateAsUpdate(doc);
    if (warmKey === undefined) {
      doc.destroy();
    } else {
      kept.set(warmKey, { hash: hashOf(merged), doc });
      for (const [key, old] of kept) {
        if (kept.size <= maxKept) break;
        old.doc.destroy();
        kept.delete(key);
      }
    }
    parentPort.postMessage({ id, merged, warm });
  } catch (error) {
    // Whatever was kept for this doc is gone: the next merge starts cold.
    parentPort.postMessage({ id, error: String((error && error.message) || error) });
  }
});
`;

interface Pending {
  resolve(merged: Uint8Array): void;
  reject(error: Error): void;
}

export function createSnapshotMerger(): SnapshotMerger {
  let worker: Worker | null = null;
  let nextId = 0;
  const pending = new Map<number, Pending>();
  const stats = { warm: 0, cold: 0 };
  /** Keys merged with and not forgotten since (the worker may have evicted some of them). */
  const warmKeys = new Set<string>();

  // Only the current worker's end fails the merges: one stopped on purpose has none left.
  const failAll = (from: Worker, error: Error) => {
    if (worker !== from) return;
    for (const entry of pending.values()) entry.reject(error);
    pending.clear();
    worker = null;
  };

  const start = (): Worker => {
    const started = new Worker(workerSource, {
      eval: true,
      workerData: { yjsPath: createRequire(import.meta.url).resolve('yjs') },
    });
    started.on('message', (message: { id: number; merged?: Uint8Array; warm?: boolean; error?: string }) => {
      const entry = pending.get(message.id);
      if (!entry) return;
      pending.delete(message.id);
      if (message.merged) {
        stats[message.warm ? 'warm' : 'cold'] += 1;
        entry.resolve(message.merged);
      } else {
        entry.reject(new Error(`snapshot merge failed: ${message.error ?? 'unknown error'}`));
      }
      if (pending.size === 0) started.unref();
    });
    started.on('error', (error: Error) => failAll(started, error));
    started.on('exit', (code) => failAll(started, new Error(`snapshot merge worker exited (${code})`)));
    return started;
  };

  return {
    merge(parts, warmKey) {
      return new Promise((resolve, reject) => {
        worker ??= start();
        worker.ref();
        const id = nextId++;
        pending.set(id, { resolve, reject });
        if (warmKey !== undefined) warmKeys.add(warmKey);
        worker.postMessage({ id, parts, warmKey });
      });
    },
    forget(warmKey) {
      if (!warmKeys.delete(warmKey) || !worker) return;
      if (warmKeys.size > 0 || pending.size > 0) return worker.postMessage({ forget: warmKey });
      const idle = worker;
      worker = null;
      void idle.terminate();
    },
    stats,
    get warmDocs() {
      return warmKeys.size;
    },
    get running() {
      return worker !== null;
    },
    async close() {
      const running = worker;
      worker = null;
      if (running) await running.terminate();
    },
  };
}
