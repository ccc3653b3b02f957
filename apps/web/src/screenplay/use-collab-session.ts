'use client';
// Owns the lifetime of one CollabSession per editor mount, shaped for CollaborationPlugin.
import type { Provider } from '@lexical/yjs';
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type * as Y from 'yjs';
import { type CollabSession, type CollabStatus, createCollabSession } from './collab-session.ts';

export interface UseCollabSessionOptions {
  serverUrl: string;
  token: string;
  seedBlockType: string;
}

/**
 * The plugin calls `providerFactory` once per mount (it guards re-runs itself), so the
 * session is created there, lazily: nothing is built during render, where StrictMode
 * would build it twice. It is destroyed on unmount, deferred by a tick so StrictMode's
 * replayed cleanup/setup keeps the same session and socket instead of a second one.
 * Callers key the component by doc name, token and server: one session per mount.
 */
export function useCollabSession(options: UseCollabSessionOptions): {
  providerFactory: (id: string, docMap: Map<string, Y.Doc>) => Provider;
  session: CollabSession | null;
} {
  const optionsRef = useRef(options);
  const sessionRef = useRef<CollabSession | null>(null);
  const destroyTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const [session, setSession] = useState<CollabSession | null>(null);

  const providerFactory = useCallback((id: string, docMap: Map<string, Y.Doc>) => {
    let current = sessionRef.current;
    if (current === null || current.docName !== id) {
      current?.destroy();
      const { serverUrl, token, seedBlockType } = optionsRef.current;
      current = createCollabSession({ serverUrl, token, seedBlockType, docName: id });
      sessionRef.current = current;
    }
    docMap.set(id, current.doc);
    setSession(current);
    return current.provider;
  }, []);

  useEffect(() => {
    if (destroyTimer.current !== null) {
      clearTimeout(destroyTimer.current);
      destroyTimer.current = null;
    }
    return () => {
      destroyTimer.current = setTimeout(() => {
        destroyTimer.current = null;
        sessionRef.current?.destroy();
        sessionRef.current = null;
      }, 0);
    };
  }, []);

  return { providerFactory, session };
}

const noSubscribe = () => () => {};

export function useCollabStatus(session: CollabSession | null): CollabStatus {
  return useSyncExternalStore(
    session ? session.subscribe : noSubscribe,
    () => (session ? session.status() : 'connecting'),
    () => 'connecting',
  );
}

export interface PresentUser {
  clientId: number;
  name: string;
  color: string;
  focusing: boolean;
  self: boolean;
}

/** Everyone with this doc open (from awareness), this client first. */
export function usePresence(session: CollabSession | null): PresentUser[] {
  const [users, setUsers] = useState<PresentUser[]>([]);
  useEffect(() => {
    if (!session) return;
    const { awareness } = session;
    const selfId = session.doc.clientID;
    const read = () => {
      const next: PresentUser[] = [];
      for (const [clientId, state] of awareness.getStates()) {
        if (!state || typeof state.name !== 'string') continue;
        next.push({
          clientId,
          name: state.name,
          color: typeof state.color === 'string' ? state.color : '#888',
          focusing: state.focusing === true,
          self: clientId === selfId,
        });
      }
      next.sort((a, b) => Number(b.self) - Number(a.self) || a.name.localeCompare(b.name) || a.clientId - b.clientId);
      setUsers(next);
    };
    read();
    awareness.on('update', read);
    return () => awareness.off('update', read);
  }, [session]);
  return users;
}
