'use client';
// The board's live eighths paginate the script in a Web Worker (script-pages.worker.ts),
// and the cast views read its cues there, not on the window's main thread: at 120 pages
// reading takes tens of ms and paginating ~0.2 s, and a window receiving a co-writer's
// typing must keep painting. The worker holds a replica
// of each doc, fed every update the window's doc makes (a keystroke's update is tens of
// bytes); the whole doc is sent once, at the first pagination. Where no worker can run
// (its script never fetched before going offline, or no Worker at all), the window
// paginates itself, with the same functions (script-pages-core.ts).
import { needEveryUpdate, readScript } from '@clapper/collab/client';
import { type ScriptCues, scriptCues } from '@clapper/domain';
import * as Y from 'yjs';
import {
  type PaginatedScript,
  type ScriptPagesReply,
  type ScriptPagesRequest,
  paginateDoc,
} from './script-pages-core.ts';

/** A pagination and where it ran. */
export type PagedScript = PaginatedScript & { where: 'worker' | 'window' };

/** One doc's pagination and cues, in the worker when there is one. */
export interface ScriptPager {
  paginate(): Promise<PagedScript>;
  /** What the cast views need: reading the whole script is too slow for a typing window. */
  cues(): Promise<ScriptCues>;
  dispose(): void;
}

interface Host {
  post(message: ScriptPagesRequest): void;
  ask(id: number, type: 'paginate' | 'cues'): Promise<ScriptPagesReply | null>;
}

let host: Host | null | undefined;

/**
 * Asks the app shell's service worker (public/sw.js) to keep the worker's script, so the
 * worker also starts offline. (Its fetch from a controlled page is cached anyway; this
 * covers a page the service worker did not control yet.)
 */
function keepForOffline(url: string): void {
  const controller = typeof navigator === 'undefined' ? null : navigator.serviceWorker?.controller;
  controller?.postMessage({ type: 'cache', urls: [url] });
}

/** The window's one worker, started on first use; null where none can run. */
function workerHost(): Host | null {
  if (host !== undefined) return host;
  host = null;
  if (typeof Worker === 'undefined') return host;
  let worker: Worker;
  try {
    // Bundled by webpack as a chunk of its own (static/chunks/script-pages-worker.*.js).
    worker = new Worker(
      /* webpackChunkName: "script-pages-worker" */ new URL('./script-pages.worker.ts', import.meta.url),
      { name: 'clapper-script-pages' },
    );
  } catch {
    return host;
  }
  const waiting = new Map<string, (reply: ScriptPagesReply | null) => void>();
  let requests = 0;
  let failed = false;
  worker.onmessage = (event: MessageEvent<ScriptPagesReply | { type: 'ready'; url: string }>) => {
    const reply = event.data;
    // Its script, kept by the service worker so the worker also starts offline.
    if (reply.type === 'ready') return keepForOffline(reply.url);
    const key = `${reply.id}:${reply.request}`;
    waiting.get(key)?.(reply);
    waiting.delete(key);
  };
  // A worker whose script can't load (offline, never cached): the window paginates from now on.
  worker.onerror = () => {
    failed = true;
    host = null;
    worker.terminate();
    for (const resolve of waiting.values()) resolve(null);
    waiting.clear();
  };
  host = {
    post: (message) => {
      if (!failed) worker.postMessage(message);
    },
    ask: (id, type) => {
      if (failed) return Promise.resolve(null);
      requests += 1;
      const request = requests;
      return new Promise((resolve) => {
        waiting.set(`${id}:${request}`, resolve);
        worker.postMessage({ type, id, request } satisfies ScriptPagesRequest);
      });
    },
  };
  return host;
}

let docs = 0;

/** Paginates `doc` as it is when asked (every update it made until then is counted). */
export function createScriptPager(doc: Y.Doc): ScriptPager {
  docs += 1;
  const id = docs;
  // The host this doc's replica lives in, once the whole doc went there.
  let primed: Host | null = null;
  // A primed replica is fed every update: none may go unencoded meanwhile (@clapper/collab's skip-update-encoding.ts).
  let releaseUpdates: (() => void) | null = null;
  const setPrimed = (host: Host | null) => {
    primed = host;
    if (host !== null) releaseUpdates ??= needEveryUpdate(doc);
    else {
      releaseUpdates?.();
      releaseUpdates = null;
    }
  };
  let disposed = false;
  const onUpdate = (update: Uint8Array) => primed?.post({ type: 'update', id, update });
  doc.on('update', onUpdate);
  /** The worker's answer, or null where the window must do it itself. */
  const ask = async (type: 'paginate' | 'cues'): Promise<ScriptPagesReply | null> => {
    const current = disposed ? null : workerHost();
    if (current !== null) {
      if (primed !== current) {
        current.post({ type: 'update', id, update: Y.encodeStateAsUpdate(doc) });
        setPrimed(current);
      }
      const reply = await current.ask(id, type);
      if (reply?.type === 'failed') console.error('[script pages]', reply.message);
      else if (reply) return reply;
    }
    setPrimed(null);
    return null;
  };
  return {
    async paginate() {
      const reply = await ask('paginate');
      if (reply?.type === 'paginated') {
        return { blocks: reply.blocks, scenes: reply.scenes, paginateMs: reply.paginateMs, where: 'worker' };
      }
      return { ...paginateDoc(doc), where: 'window' };
    },
    async cues() {
      const reply = await ask('cues');
      return reply?.type === 'cues' ? reply.cues : scriptCues(readScript(doc).elements);
    },
    dispose() {
      disposed = true;
      doc.off('update', onUpdate);
      primed?.post({ type: 'close', id });
      setPrimed(null);
    },
  };
}
