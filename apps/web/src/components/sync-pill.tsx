'use client';
import type { SyncEngine, SyncStatus } from '@clapper/sync-client';
import { useEffect, useState, useSyncExternalStore } from 'react';

const refusedCodes = new Set(['FORBIDDEN', 'UNAUTHORIZED', 'BAD_REQUEST', 'PAYLOAD_TOO_LARGE']);

function ago(ms: number | null, now: number): string {
  if (ms === null) return 'never';
  const seconds = Math.max(0, Math.round((now - ms) / 1000));
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds}s ago`;
  const minutes = Math.round(seconds / 60);
  return minutes < 60 ? `${minutes} min ago` : new Date(ms).toLocaleTimeString();
}

/**
 * The pill of `engine`, following its status on its own: a status change (several per
 * sync) re-renders the pill, not the workspace around it and its board.
 */
export function EngineSyncPill({ engine }: { engine: SyncEngine }) {
  return <SyncPill status={useSyncExternalStore(engine.subscribe, engine.getStatus, engine.getStatus)} />;
}

/** Online / offline / syncing, pending changes and last sync, always the same width so nothing jumps. */
export function SyncPill({ status }: { status: SyncStatus }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 5000);
    return () => clearInterval(timer);
  }, []);
  // The server refused these changes for good (no retry will help): say so instead of "Saving…".
  const refused = status.error !== null && refusedCodes.has(status.error.code) && status.pending > 0;
  const state = refused
    ? 'refused'
    : !status.online
      ? 'offline'
      : status.syncing
        ? 'syncing'
        : status.pending > 0
          ? 'pending'
          : 'synced';
  const label = { refused: 'Not saved', offline: 'Offline', syncing: 'Syncing…', pending: 'Saving…', synced: 'Synced' }[
    state
  ];
  return (
    <div
      className={`sync-pill sync-${state}`}
      data-testid="sync-status"
      data-state={state}
      data-online={status.online ? 'true' : 'false'}
      data-pending={status.pending}
      title={
        status.error ? `Last sync failed: ${status.error.message}` : `Last synced ${ago(status.lastSyncedAt, now)}`
      }
      role="status"
      aria-live="polite"
    >
      <span className="sync-dot" aria-hidden="true" />
      <span className="sync-label">{label}</span>
      <span className="sync-meta">
        {refused
          ? `server refused ${status.pending} change${status.pending === 1 ? '' : 's'}`
          : status.pending > 0
            ? `${status.pending} pending`
            : `synced ${ago(status.lastSyncedAt, now)}`}
      </span>
    </div>
  );
}
