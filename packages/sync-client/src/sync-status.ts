import type { SyncClientError } from './sync-client-error.ts';

export interface SyncStatus {
  /** The server is reachable as far as we know: network up, last request reached it, nudge socket open. */
  online: boolean;
  /** A synchronize() is in flight. */
  syncing: boolean;
  /** Locally created, updated or deleted records not yet acknowledged by the server. */
  pending: number;
  /** Epoch ms of the last successful synchronize(), or null. */
  lastSyncedAt: number | null;
  /** The last sync failure, cleared by the next success. */
  error: SyncClientError | null;
  /** Consecutive retryable failures (0 when healthy). */
  retryAttempt: number;
  /** When the next automatic retry runs (epoch ms), or null. */
  nextRetryAt: number | null;
}

export const initialSyncStatus: SyncStatus = {
  online: false,
  syncing: false,
  pending: 0,
  lastSyncedAt: null,
  error: null,
  retryAttempt: 0,
  nextRetryAt: null,
};

/**
 * An external store for React's useSyncExternalStore: `getStatus()` returns the same
 * object until something changes, and every change is a new frozen object.
 */
export class SyncStatusStore {
  private status: SyncStatus;
  private readonly listeners = new Set<() => void>();

  constructor(initial: SyncStatus = initialSyncStatus) {
    this.status = Object.freeze({ ...initial });
  }

  getStatus = (): SyncStatus => this.status;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  update(patch: Partial<SyncStatus>): void {
    const keys = Object.keys(patch) as (keyof SyncStatus)[];
    if (keys.every((key) => Object.is(this.status[key], patch[key]))) return;
    this.status = Object.freeze({ ...this.status, ...patch });
    for (const listener of [...this.listeners]) listener();
  }
}
