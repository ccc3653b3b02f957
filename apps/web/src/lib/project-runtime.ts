'use client';
import type { Database } from '@nozbe/watermelondb';
import { type SyncEngine, createProjectDatabase, createSyncEngine } from '@clapper/sync-client';
import { localStorePrefix, markStoreSynced, registerLocalStore, storeWasSynced } from './local-data.ts';
import { getSession } from './session-store.ts';

export interface ProjectRuntime {
  readonly projectId: string;
  readonly database: Database;
  readonly engine: SyncEngine;
  /**
   * Its local copy had synced with the server on an earlier page load: what it holds is
   * the project as last seen (an empty board there is an empty project, not one still
   * downloading).
   */
  readonly syncedBefore: boolean;
}

/**
 * One local database + sync engine per project, kept for the life of the tab so that
 * switching tabs or projects never reopens IndexedDB or drops a pending sync.
 */
const runtimes = new Map<string, ProjectRuntime>();

export function getProjectRuntime(projectId: string, serverUrl: string, userId: string): ProjectRuntime {
  const key = `${serverUrl}|${userId}|${projectId}`;
  const existing = runtimes.get(key);
  if (existing) return existing;
  // The user's own copy (local-data.ts): another person on this browser has their own.
  const database = createProjectDatabase({ projectId, userId });
  const storeName = `${localStorePrefix(userId)}${projectId}`;
  registerLocalStore(userId, storeName);
  const syncedBefore = storeWasSynced(userId, storeName);
  const engine = createSyncEngine({
    database,
    projectId,
    serverUrl,
    // Only this user's token ever pushes this user's copy.
    getToken: () => {
      const session = getSession();
      return session?.user.id === userId ? session.token : null;
    },
    // Edits are written once per action (Enter, leaving a cell, a drop), so the sync starts
    // at once, in a microtask after the write (C2): writes made together share it, and
    // writes made while it runs share the one sync after it (C5). A wait here was latency
    // on every edit.
    debounceMs: 0,
    // A crew waiting on a flaky set connection wants to see it recover within seconds.
    backoff: { maxMs: 5_000 },
  });
  if (!syncedBefore) {
    const stop = engine.subscribe(() => {
      if (engine.getStatus().lastSyncedAt === null) return;
      markStoreSynced(userId, storeName);
      stop();
    });
  }
  const runtime = { projectId, database, engine, syncedBefore };
  runtimes.set(key, runtime);
  if (typeof window !== 'undefined') {
    // Exposed for the browser tests' forced-write check and for support ("what is pending?").
    (window as unknown as { __clapper?: Record<string, ProjectRuntime> }).__clapper ??= {};
    (window as unknown as { __clapper: Record<string, ProjectRuntime> }).__clapper[projectId] = runtime;
  }
  return runtime;
}

/** The runtimes open in this tab (sign-out checks them for unsynced work). */
export function openProjectRuntimes(): ProjectRuntime[] {
  return [...runtimes.values()];
}

export async function stopAllProjectRuntimes(): Promise<void> {
  const all = [...runtimes.values()];
  runtimes.clear();
  await Promise.all(all.map((runtime) => runtime.engine.stop()));
}

/**
 * Throws away this device's copy of a project (including changes the server refused, e.g.
 * a viewer's) and reloads, which pulls everything afresh. Only offered to viewers, whose
 * local changes can never be accepted.
 */
export async function discardLocalChanges(projectId: string, serverUrl: string, userId: string): Promise<void> {
  const key = `${serverUrl}|${userId}|${projectId}`;
  const runtime = runtimes.get(key);
  if (!runtime) return;
  runtimes.delete(key);
  await runtime.engine.stop();
  await runtime.database.write(() => runtime.database.unsafeResetDatabase());
  window.location.reload();
}
