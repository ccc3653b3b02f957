'use client';
import type { Database, Model } from '@nozbe/watermelondb';
import { type ScriptBlock, type ScriptScene, planSceneEighths, scenesFromScript } from '@clapper/domain';
import type { RecordOf, RecordPatch } from '@clapper/schema';
import { useEffect, useState } from 'react';
import type { PagedScript } from './script-pages.ts';

/**
 * Keeps the board's page eighths following the script (domain PG7, live): once the script
 * has settled (`settleMs` after its last change, so typing never paginates), it is read
 * and paginated once, and the board scenes linked to its headings (as Build from script
 * links them) get the script's length — only those whose stored value differs, in one
 * write, so one push. Every window computes the same values from the same doc, and a
 * value already stored is never written again: two windows write a change once each at
 * most, and nothing churns.
 */
export interface SceneEighthsSync {
  /**
   * The script changed: restarts the wait (cheap). `read` is called once it has settled,
   * `settleMs` (default: the sync's) after the last change.
   */
  scriptChanged(read: ReadScript, settleMs?: number): void;
  dispose(): void;
}

/**
 * How a reader of the script hands it over: its blocks (read and paginated here, on the
 * window's thread), or its pagination done elsewhere (the script-pages worker).
 */
export type ReadScript = () => readonly ScriptBlock[] | Promise<PagedScript>;

/** What a run did and took (also the `detail` of its `clapper:scene-eighths` performance entry). */
export interface SceneEighthsRun {
  blocks: number;
  scenes: number;
  /** Reading the script and paginating it, where that ran. */
  paginateMs: number;
  /** Where it was paginated: a Web Worker, or the window's main thread. */
  where: 'worker' | 'window';
  written: number;
}

export const sceneEighthsMeasure = 'clapper:scene-eighths';

export function createSceneEighthsSync(
  database: Database,
  options: { settleMs?: number; onRun?: (run: SceneEighthsRun) => void } = {},
): SceneEighthsSync {
  const settleMs = options.settleMs ?? settleMsOfEditor;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let pendingRead: ReadScript | null = null;
  let running: Promise<void> = Promise.resolve();
  let disposed = false;

  const run = async (read: ReadScript) => {
    const started = performance.now();
    const read_ = read();
    let blockCount: number;
    let script: readonly ScriptScene[];
    let paginateMs: number;
    let where: SceneEighthsRun['where'];
    if ('then' in read_) {
      const paged = await read_;
      ({ scenes: script, paginateMs, where } = paged);
      blockCount = paged.blocks;
    } else {
      script = scenesFromScript(read_);
      paginateMs = performance.now() - started;
      blockCount = read_.length;
      where = 'window';
    }
    let written = 0;
    if (script.length > 0) {
      await database.write(async () => {
        // Read inside the write: the values compared are the ones this write replaces.
        const records = (await database.get('scenes').query().fetch()) as RecordOf<'scenes'>[];
        const updates = planSceneEighths(script, records);
        if (updates.length === 0) return;
        const byId = new Map(records.map((record) => [record.id, record]));
        const prepared: Model[] = [];
        for (const { id, pageEighths } of updates) {
          const record = byId.get(id);
          if (!record) continue;
          const patch: RecordPatch<'scenes'> = { pageEighths };
          prepared.push(record.prepareUpdate((draft) => Object.assign(draft, patch)));
        }
        written = prepared.length;
        await database.batch(prepared);
      });
    }
    const result: SceneEighthsRun = { blocks: blockCount, scenes: script.length, paginateMs, where, written };
    // A performance entry per run (its duration: reading and paginating the script), so
    // browser tests and benchmarks see what each window computed and wrote.
    performance.measure(sceneEighthsMeasure, { start: started, duration: paginateMs, detail: result });
    options.onRun?.(result);
  };

  return {
    scriptChanged(read, wait = settleMs) {
      if (disposed) return;
      pendingRead = read;
      if (timer !== null) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = null;
        const next = pendingRead;
        pendingRead = null;
        if (!next || disposed) return;
        // One run at a time, in order: a later script never loses to an earlier one.
        running = running
          .then(() => (disposed ? undefined : run(next)))
          .catch((error: unknown) => console.error('[scene eighths]', error));
      }, wait);
    },
    dispose() {
      disposed = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      pendingRead = null;
    },
  };
}

/** Where the script was changed: the call each script reader makes after every change of its doc. */
export type ScriptChanged = (read: ReadScript, settleMs?: number) => void;

/**
 * How long a window waits after the script's last change. The typist's window (the
 * editor) goes first; a window that only reads the script waits longer, so the typist's
 * write has usually reached it by then and it finds nothing left to write.
 */
export const settleMsOfEditor = 1_500;
export const settleMsOfReader = 4_000;

/** One sync per open project for people who may edit it (viewers write nothing); null otherwise. */
export function useSceneEighthsSync(database: Database, canWrite: boolean): ScriptChanged | null {
  const [sync, setSync] = useState<SceneEighthsSync | null>(null);
  useEffect(() => {
    if (!canWrite) return;
    const created = createSceneEighthsSync(database);
    setSync(created);
    return () => {
      created.dispose();
      setSync(null);
    };
  }, [database, canWrite]);
  return sync ? sync.scriptChanged : null;
}
