import type { Database } from '@nozbe/watermelondb';

/**
 * The push attempt whose outcome is unknown: written before the request leaves, removed
 * once the server answered. Its id is reused only for the identical change set.
 */
export interface PendingPush {
  pushId: string;
  hash: string;
}

const pendingPushKey = 'clapper_sync_pending_push';

export async function loadPendingPush(database: Database): Promise<PendingPush | null> {
  const value = await database.localStorage.get<unknown>(pendingPushKey);
  if (typeof value !== 'object' || value === null) return null;
  const { pushId, hash } = value as Partial<PendingPush>;
  return typeof pushId === 'string' && typeof hash === 'string' ? { pushId, hash } : null;
}

export function savePendingPush(database: Database, pending: PendingPush): Promise<void> {
  return database.localStorage.set(pendingPushKey, pending);
}

export function clearPendingPush(database: Database): Promise<void> {
  return database.localStorage.remove(pendingPushKey);
}

/** WatermelonDB's own key for the last pull (stored as a bare number string). */
const lastPulledAtKey = '__watermelon_last_pulled_at';

export async function readLastPulledAt(database: Database): Promise<number | null> {
  const value = await database.adapter.getLocal(lastPulledAtKey);
  const parsed = value == null ? NaN : Number.parseInt(value, 10);
  return Number.isFinite(parsed) && parsed > 0 ? parsed : null;
}
