'use client';
import type { Database } from '@nozbe/watermelondb';
import { type SyncEngine, createProjectDatabase, createSyncEngine } from '@clapper/sync-client';
import { getSession } from './session-store.ts';

export interface ProjectRuntime {
  readonly projectId: string;
  readonly database: Database;
  readonly engine: SyncEngine;
}

/**
 * One local database + sync engine per project, kept for the life of the tab so that
 * switching tabs or projects never reopens IndexedDB or drops a pending sync.
 */
const runtimes = new Map<string, ProjectRuntime>();

export function getProjectRuntime(projectId: string, serverUrl: string): ProjectRuntime {
  const key = `${serverUrl}|${projectId}`;
  const existing = runtimes.get(key);
  if (existing) return existing;
  const database = createProjectDatabase({ projectId });
  const engine = createSyncEngine({
    database,
    projectId,
    serverUrl,
    getToken: () => getSession()?.token ?? null,
    debounceMs: 30,
    // A crew waiting on a flaky set connection wants to see it recover within seconds.
    backoff: { maxMs: 5_000 },
  });
  const runtime = { projectId, database, engine };
  runtimes.set(key, runtime);
  if (typeof window !== 'undefined') {
    // Exposed for the browser tests' forced-write check and for support ("what is pending?").
    (window as unknown as { __clapper?: Record<string, ProjectRuntime> }).__clapper ??= {};
    (window as unknown as { __clapper: Record<string, ProjectRuntime> }).__clapper[projectId] = runtime;
  }
  return runtime;
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
export async function discardLocalChanges(projectId: string, serverUrl: string): Promise<void> {
  const key = `${serverUrl}|${projectId}`;
  const runtime = runtimes.get(key);
  if (!runtime) return;
  runtimes.delete(key);
  await runtime.engine.stop();
  await runtime.database.write(() => runtime.database.unsafeResetDatabase());
  window.location.reload();
}
