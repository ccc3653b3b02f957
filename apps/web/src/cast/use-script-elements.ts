'use client';
import { createCollabProvider, readScript, scriptDocName } from '@clapper/collab/client';
import type { ScriptBlock } from '@clapper/domain';
import { useEffect, useState } from 'react';
import { localDocStoreNameFor } from '../lib/local-data.ts';
import type { ScriptSource } from '../shotlist/build-from-script.ts';

/** Re-reading a 120-page script costs milliseconds; typing elsewhere should not pay that per keystroke. */
const rereadMs = 400;

/**
 * The project script's elements, live: read from the user's local copy at once and again
 * whenever the doc changes (another window typing, the server's copy arriving). Null until
 * the first read; an empty list when there is no script yet.
 */
export function useScriptElements(source: ScriptSource | null): readonly ScriptBlock[] | null {
  const [elements, setElements] = useState<readonly ScriptBlock[] | null>(source ? null : []);
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
    const schedule = () => {
      timer ??= setTimeout(read, rereadMs);
    };
    provider.doc.on('update', schedule);
    void provider.local?.whenSynced.then(read);
    void provider.whenSynced().then(read);
    if (!provider.local) read();
    return () => {
      if (timer) clearTimeout(timer);
      provider.doc.off('update', schedule);
      provider.destroy();
    };
  }, [serverUrl, token, projectId, scriptId]);
  return elements;
}
