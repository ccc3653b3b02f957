'use client';
// Tells the workspace the script changed (for the board's live page eighths, domain PG7),
// from the editor's own doc: the call only restarts a timer there, so a keystroke costs
// nothing more; the script is read (as the server's reader reads it) once it has settled.
import { readScript } from '@clapper/collab/client';
import type { ScriptBlock } from '@clapper/domain';
import { useContext, useEffect, useRef } from 'react';
import { CollabSessionContext } from './collaborative-editor.tsx';

export function ScriptChangesPlugin({ onChange }: { onChange: (read: () => readonly ScriptBlock[]) => void }): null {
  const session = useContext(CollabSessionContext);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  useEffect(() => {
    if (!session) return;
    const { doc } = session;
    const read = () => readScript(doc).elements;
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
    doc.on('update', onUpdate);
    return () => {
      unsubscribe();
      doc.off('update', onUpdate);
    };
  }, [session]);
  return null;
}
