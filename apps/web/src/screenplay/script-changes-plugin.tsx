'use client';
// Tells the workspace the script changed (for the board's live page eighths, domain PG7),
// from the editor's own doc: the call only restarts a timer there, so a keystroke costs
// nothing more; the script is read (as the server's reader reads it) and paginated once it
// has settled, in the script-pages worker (the window keeps painting while it receives).
import { useContext, useEffect, useRef } from 'react';
import type { ReadScript } from '../shotlist/scene-eighths-sync.ts';
import { createScriptPager } from '../shotlist/script-pages.ts';
import { CollabSessionContext } from './collaborative-editor.tsx';

export function ScriptChangesPlugin({ onChange }: { onChange: (read: ReadScript) => void }): null {
  const session = useContext(CollabSessionContext);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  useEffect(() => {
    if (!session) return;
    const { doc } = session;
    const pager = createScriptPager(doc);
    const read = () => pager.paginate();
    // Only a doc that holds the server's copy, or the local copy when the browser is
    // offline (what this person is editing): never a stale local copy still catching up.
    let trusted = false;
    const check = () => {
      if (trusted) return;
      const offline = typeof navigator !== 'undefined' && navigator.onLine === false;
      if (session.status() === 'synced' || (offline && session.localLoaded())) {
        trusted = true;
        onChangeRef.current(read);
      }
    };
    const onUpdate = () => {
      if (trusted) onChangeRef.current(read);
      else check();
    };
    check();
    const unsubscribe = session.subscribe(check);
    // The browser going offline makes the local copy the one being edited.
    window.addEventListener('offline', check);
    doc.on('update', onUpdate);
    return () => {
      unsubscribe();
      window.removeEventListener('offline', check);
      doc.off('update', onUpdate);
      pager.dispose();
    };
  }, [session]);
  return null;
}
