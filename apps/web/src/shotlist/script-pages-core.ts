// What the script-pages worker does (script-pages.worker.ts), as plain functions the
// tests run in Node: a replica of a script's Yjs doc, fed the updates the window's doc
// makes, read and paginated as the window itself would (`readScript`, `scenesFromScript`),
// or read for its cues (`scriptCues`, what the cast views show).
import { readScript } from '@clapper/collab/client';
import { type ScriptCues, type ScriptScene, scenesFromScript, scriptCues } from '@clapper/domain';
import * as Y from 'yjs';

/** A script read and paginated: what the board's live eighths need. */
export interface PaginatedScript {
  /** Script elements read. */
  blocks: number;
  scenes: ScriptScene[];
  /** Reading and paginating, where it ran. */
  paginateMs: number;
}

/** Window → worker. `id` names one doc of the window (a window may read several). */
export type ScriptPagesRequest =
  | { type: 'update'; id: number; update: Uint8Array }
  | { type: 'paginate' | 'cues'; id: number; request: number }
  | { type: 'close'; id: number };

/** Worker → window. */
export type ScriptPagesReply =
  | ({ type: 'paginated'; id: number; request: number } & PaginatedScript)
  | { type: 'cues'; id: number; request: number; cues: ScriptCues }
  | { type: 'failed'; id: number; request: number; message: string };

/** Reads and paginates a script doc (the one computation, in the window or the worker). */
export function paginateDoc(doc: Y.Doc): PaginatedScript {
  const started = performance.now();
  const elements = readScript(doc).elements;
  const scenes = scenesFromScript(elements);
  return { blocks: elements.length, scenes, paginateMs: performance.now() - started };
}

/** The worker's state: one replica per doc id; `handle` answers a request (or not). */
export function createScriptPagesHost(): { handle(message: ScriptPagesRequest): ScriptPagesReply | null } {
  const docs = new Map<number, Y.Doc>();
  return {
    handle(message) {
      if (message.type === 'update') {
        let doc = docs.get(message.id);
        if (!doc) docs.set(message.id, (doc = new Y.Doc({ gc: true })));
        Y.applyUpdate(doc, message.update);
        return null;
      }
      if (message.type === 'close') {
        docs.get(message.id)?.destroy();
        docs.delete(message.id);
        return null;
      }
      try {
        const doc = docs.get(message.id) ?? new Y.Doc();
        if (message.type === 'cues') {
          return { type: 'cues', id: message.id, request: message.request, cues: scriptCues(readScript(doc).elements) };
        }
        return { type: 'paginated', id: message.id, request: message.request, ...paginateDoc(doc) };
      } catch (error) {
        return { type: 'failed', id: message.id, request: message.request, message: String(error) };
      }
    },
  };
}
