'use client';
import { createCollabProvider, scriptDocName } from '@clapper/collab/client';
import { type ScriptCues, sameScriptCues } from '@clapper/domain';
import { useEffect, useRef, useState } from 'react';
import { localDocStoreNameFor } from '../lib/local-data.ts';
import type { ScriptSource } from '../shotlist/build-from-script.ts';
import { type ReadScript, type ScriptChanged, settleMsOfReader } from '../shotlist/scene-eighths-sync.ts';
import { createScriptPager } from '../shotlist/script-pages.ts';

/** A co-writer's typing re-reads the cues at most this often (in the worker: reading 120 pages takes tens of ms). */
const rereadMs = 400;

const noCues: ScriptCues = { scenes: [], names: [] };

/**
 * The project script's cues (each scene's characters, every name), live: read from the
 * user's local copy at once and again whenever the doc changes (another window typing,
 * the server's copy arriving). Null until the first read. A new value only when a cue or
 * heading changed, so the views around it don't re-render as a co-writer types action
 * and dialogue. `onChanged` hears of every change once the server's copy is in (and of
 * that copy), never of a stale local copy alone.
 */
export function useScriptCues(source: ScriptSource | null, onChanged: ScriptChanged | null = null): ScriptCues | null {
  const [cues, setCues] = useState<ScriptCues | null>(source ? null : noCues);
  const onChangedRef = useRef(onChanged);
  onChangedRef.current = onChanged;
  // Set once the doc holds the server's copy: how to read it.
  const syncedRead = useRef<ReadScript | null>(null);
  const serverUrl = source?.serverUrl;
  const token = source?.token;
  const projectId = source?.projectId;
  const scriptId = source?.scriptId;
  useEffect(() => {
    if (!serverUrl || !token || !projectId || !scriptId) {
      setCues(noCues);
      return;
    }
    const docName = scriptDocName(projectId, scriptId);
    const provider = createCollabProvider({
      serverUrl,
      token,
      docName,
      localStoreName: localDocStoreNameFor(token, docName),
    });
    // Pagination (the live eighths) and cues are read in the script-pages worker.
    const pager = createScriptPager(provider.doc);
    let live = true;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const read = () => {
      timer = null;
      void pager.cues().then((next) => {
        if (live) setCues((previous) => (previous && sameScriptCues(previous, next) ? previous : next));
      });
    };
    const readElements = () => pager.paginate();
    const schedule = () => {
      timer ??= setTimeout(read, rereadMs);
      if (syncedRead.current) onChangedRef.current?.(readElements, settleMsOfReader);
    };
    provider.doc.on('update', schedule);
    void provider.local?.whenSynced.then(read);
    void provider.whenSynced().then(() => {
      if (!live) return;
      read();
      syncedRead.current = readElements;
      onChangedRef.current?.(readElements, settleMsOfReader);
    });
    if (!provider.local) read();
    return () => {
      if (timer) clearTimeout(timer);
      live = false;
      syncedRead.current = null;
      provider.doc.off('update', schedule);
      pager.dispose();
      provider.destroy();
    };
  }, [serverUrl, token, projectId, scriptId]);
  // A listener that arrives after the server's copy still hears of it once.
  useEffect(() => {
    if (onChanged && syncedRead.current) onChanged(syncedRead.current, settleMsOfReader);
  }, [onChanged]);
  return cues;
}
