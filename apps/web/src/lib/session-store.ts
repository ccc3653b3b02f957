'use client';
import { useSyncExternalStore } from 'react';

export interface SessionUser {
  id: string;
  email: string;
  name: string;
}

export interface Session {
  token: string;
  user: SessionUser;
}

const storageKey = 'clapper.session';
const listeners = new Set<() => void>();
let cachedRaw: string | null | undefined;
let cachedSession: Session | null = null;

function read(): Session | null {
  const raw = typeof localStorage === 'undefined' ? null : localStorage.getItem(storageKey);
  if (raw === cachedRaw) return cachedSession;
  cachedRaw = raw;
  try {
    const parsed = raw ? (JSON.parse(raw) as Session) : null;
    cachedSession = parsed && typeof parsed.token === 'string' && parsed.user ? parsed : null;
  } catch {
    cachedSession = null;
  }
  return cachedSession;
}

function notify(): void {
  for (const listener of [...listeners]) listener();
}

if (typeof window !== 'undefined') {
  // Signing in or out in another tab applies here too.
  window.addEventListener('storage', (event) => {
    if (event.key === storageKey) notify();
  });
}

export function getSession(): Session | null {
  return read();
}

export function saveSession(session: Session): void {
  localStorage.setItem(storageKey, JSON.stringify(session));
  notify();
}

export function clearSession(): void {
  localStorage.removeItem(storageKey);
  notify();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The signed-in session, or null; `undefined` during server rendering (unknown yet). */
export function useSession(): Session | null | undefined {
  return useSyncExternalStore(subscribe, read, () => undefined);
}
