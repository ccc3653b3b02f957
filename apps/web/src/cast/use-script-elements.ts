'use client';
import { createCollabProvider, readScript, scriptDocName } from '@clapper/collab/client';
import type { ScriptBlock } from '@clapper/domain';
import { useEffect, useRef, useState } from 'react';
import { localDocStoreNameFor } from '../lib/local-data.ts';
import type { ScriptSource } from '../shotlist/build-from-script.ts';
import { type ReadScript, type ScriptChanged, settleMsOfReader } from '../shotlist/scene-eighths-sync.ts';
import { createScriptPager } from '../shotlist/script-pages.ts';

/** Re-reading a 120-page script costs milliseconds; typing elsewhere should not pay that per keystroke. */
const rereadMs = 400;

/**
 * The project script's elements, live: read from the user's local copy at once and again
 * whenever the doc changes (another window typing, the server's copy arriving). Null until
 * the first read; an empty list when there is no script yet. `onChanged` hears of every
 * change once the server's copy is in (and of that copy), never of a stale local copy alone.
 */
export function useScriptElements(
  source: ScriptSource | null,
  onChanged: ScriptChanged | null = null,
): readonly ScriptBlock[] | null {
  const [elements, setElements] = useState<readonly ScriptBlock[] | null>(source ? null : []);
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
      setElements([]);
      return;
    }
    const docName = scriptDocName(projectId, scriptId);
    const provider = createCollabProvider({
      serverUrl,
      token,
      docName,
      localStoreName: localDocStoreNameFor(token, docName),
    });
    let timer: ReturnType<typeof setTimeout> | null = null;
    const read = () => {
      timer = null;
      setElements(readScript(provider.doc).elements);
    };
    // The live eighths' pagination runs in the script-pages worker.
    const pager = createScriptPager(provider.doc);
    const readElements = () => pager.paginate();
    const schedule = () => {
      timer ??= setTimeout(read, rereadMs);
      if (syncedRead.current) onChangedRef.current?.(readElements, settleMsOfReader);
    };
    provider.doc.on('update', schedule);
    void provider.local?.whenSynced.then(read);
    let live = true;
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
  return elements;
}
