'use client';
import { countPendingChanges } from '@clapper/sync-client';
import { markDocSynced, unsyncedDocs } from './local-data.ts';
import { readCachedProjects } from './project-cache.ts';
import { getProjectRuntime } from './project-runtime.ts';
import type { Session } from './session-store.ts';
import { checkDocSynced } from './yjs-pending.ts';

/** One thing signing out would lose: it exists only on this device. */
export interface PendingWork {
  /** "Night Harbour: 3 shot-list changes", "Night Harbour: the script". */
  label: string;
  why: string;
}

const syncWaitMs = 6_000;

function settleWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    promise.then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      () => {
        clearTimeout(timer);
        resolve();
      },
    );
  });
}

function docLabel(docName: string, projectName: (id: string) => string): string {
  const [, projectId = '', kind, table] = docName.split('/');
  const project = projectName(projectId);
  if (kind === 'script') return `${project}: the script`;
  const what =
    table === 'scenes'
      ? 'a scene'
      : table === 'shots'
        ? 'a shot'
        : table === 'day_banners'
          ? 'a shooting day'
          : 'a record';
  return `${project}: notes on ${what}`;
}

/**
 * What of this user's local work hasn't reached the server: every project's unpushed
 * records (after one more sync try each) and every doc edited here that the server doesn't
 * fully hold yet (after one more upload try). Empty means signing out loses nothing.
 */
export async function pendingLocalWork(session: Session, serverUrl: string): Promise<PendingWork[]> {
  const userId = session.user.id;
  const projects = readCachedProjects(userId);
  const nameOf = (id: string) => projects.find((p) => p.id === id)?.name ?? 'A project';
  const pending: PendingWork[] = [];
  for (const project of projects) {
    const runtime = getProjectRuntime(project.id, serverUrl, userId);
    let count = await countPendingChanges(runtime.database);
    if (count > 0) {
      await settleWithin(runtime.engine.syncNow(), syncWaitMs);
      count = await countPendingChanges(runtime.database);
    }
    if (count > 0) {
      const status = runtime.engine.getStatus();
      pending.push({
        label: `${project.name}: ${count} shot-list ${count === 1 ? 'change' : 'changes'}`,
        why:
          status.error && status.online
            ? `not accepted by the server: ${status.error.message}`
            : "not yet on the server (it can't be reached)",
      });
    }
  }
  for (const docName of unsyncedDocs(userId)) {
    const state = await checkDocSynced({ serverUrl, token: session.token, userId, docName });
    if (state === 'synced') {
      markDocSynced(userId, docName);
      continue;
    }
    pending.push({
      label: docLabel(docName, nameOf),
      why: state === 'unreachable' ? "not yet on the server (it can't be reached)" : 'not yet on the server',
    });
  }
  return pending;
}
