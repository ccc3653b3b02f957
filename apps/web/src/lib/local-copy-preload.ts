'use client';
import { preloadProjectDatabase } from '@clapper/sync-client/preload';
import { wipeScheduled } from './local-data.ts';
import { getSession } from './session-store.ts';

/**
 * On a project's page, starts reading the signed-in user's local copy of the project out of
 * IndexedDB at once, while the workspace's code (WatermelonDB with it) is still being fetched
 * and run; the workspace's database takes what was read (@clapper/sync-client/preload).
 * Not for a user whose stores a sign-out is still to wipe.
 */
export function preloadLocalCopy(): void {
  if (typeof window === 'undefined') return;
  const match = /^\/projects\/([^/]+)\/?$/.exec(window.location.pathname);
  const session = getSession();
  if (!match?.[1] || !session || wipeScheduled(session.user.id)) return;
  let projectId: string;
  try {
    projectId = decodeURIComponent(match[1]);
  } catch {
    return;
  }
  preloadProjectDatabase(projectId, session.user.id);
}
