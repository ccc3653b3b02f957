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
  /** Awareness client ids of this person's open editors (one per tab or device). */
  clientIds: number[];
  name: string;
  color: string;
  focusing: boolean;
  self: boolean;
}

/** Everyone with this doc open (from awareness), one entry per person, this client first. */
export function usePresence(session: CollabSession | null): PresentUser[] {
  const [users, setUsers] = useState<PresentUser[]>([]);
  useEffect(() => {
    if (!session) return;
    const { awareness } = session;
    const selfId = session.doc.clientID;
    let shown = '';
    const read = () => {
      // Same name and colour = the same person on another tab or device.
      const byPerson = new Map<string, PresentUser>();
      for (const [clientId, state] of awareness.getStates()) {
        if (!state || typeof state.name !== 'string') continue;
        const color = typeof state.color === 'string' ? state.color : '#888';
        const key = `${state.name}\u0000${color}`;
        const entry = byPerson.get(key) ?? { clientIds: [], name: state.name, color, focusing: false, self: false };
        entry.clientIds.push(clientId);
        entry.focusing ||= state.focusing === true;
        entry.self ||= clientId === selfId;
        byPerson.set(key, entry);
      }
      const next = [...byPerson.values()].sort(
        (a, b) => Number(b.self) - Number(a.self) || a.name.localeCompare(b.name),
      );
      // Awareness changes with every caret move; the list only when someone comes, goes or focuses.
      const key = JSON.stringify(next);
      if (key === shown) return;
      shown = key;
      setUsers(next);
    };
    read();
    awareness.on('update', read);
    return () => awareness.off('update', read);
  }, [session]);
  return users;
}
