// Contract for packages/sync-server (implementation in progress). The api package's
// router calls these; access control (membership, role) happens before, in api.
import type { Pool } from '@clapper/db';
import type { PullResponse, PushResponse } from '@clapper/schema';

export type SyncErrorCode = 'BAD_REQUEST' | 'PAYLOAD_TOO_LARGE' | 'NOT_FOUND' | 'CONFLICT';

/** A sync failure the caller can act on; api maps `code` to the tRPC error code. */
export class SyncError extends Error {
  constructor(
    readonly code: SyncErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SyncError';
  }
}

export interface SyncService {
  pull(input: { projectId: string; lastPulledAt: number | null }): Promise<PullResponse>;
  push(input: { projectId: string; pushId: string; lastPulledAt: number | null; changes: unknown }): Promise<PushResponse>;
  close(): Promise<void>;
}

export interface SyncServiceOptions {
  pool: Pool;
  /** Called after every committed push (fan-out of the "changed" nudge). */
  onCommitted?: (projectId: string, timestamp: number) => void;
}

export function createSyncService(_options: SyncServiceOptions): SyncService {
  throw new Error('not implemented yet');
}
