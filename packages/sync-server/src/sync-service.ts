import type { Pool } from '@clapper/db';
import { type PullResponse, type PushResponse, pushLimits, validatePushChanges } from '@clapper/schema';
import type { AfterStamp } from './apply-push.ts';
import { PullCoalescer } from './pull-changes.ts';
import { type BatchReport, PushQueue } from './push-queue.ts';
import { SyncError } from './sync-error.ts';

/** One structured line per pull, push and push transaction. */
export type SyncLogEntry =
  | { event: 'pull'; projectId: string; lastPulledAt: number | null; timestamp: number; records: number; deleted: number; shared: boolean; durationMs: number }
  | { event: 'push'; projectId: string; pushId: string; timestamp: number; records: number; durationMs: number }
  | { event: 'push-failed'; projectId: string; pushId: string; code: string; message: string; durationMs: number }
  | ({ event: 'push-batch' } & BatchReport);

export interface SyncService {
  pull(input: { projectId: string; lastPulledAt: number | null }): Promise<PullResponse>;
  push(input: { projectId: string; pushId: string; lastPulledAt: number | null; changes: unknown }): Promise<PushResponse>;
  /** Stops taking pushes and waits for queued ones; the pool stays the caller's. */
  close(): Promise<void>;
}

export interface SyncServiceOptions {
  pool: Pool;
  /** Called after every committed push transaction (fan-out of the "changed" nudge). */
  onCommitted?: (projectId: string, timestamp: number) => void;
  log?: (entry: SyncLogEntry) => void;
  /** Test seams. `afterStamp` runs inside the push transaction, after the stamp, before the writes. */
  hooks?: { afterStamp?: AfterStamp };
  /** Most pushes one group-commit transaction takes (default 500). */
  maxBatchPushes?: number;
  /** How long a project's next transaction may wait for the last batch's clients to push again (default: the last transaction's duration, 2-10 ms). */
  lingerMs?: number;
}

const maxPushIdLength = 200;

export function createSyncService(options: SyncServiceOptions): SyncService {
  const { pool, log } = options;
  const coalescer = new PullCoalescer({ pool });
  const queue = new PushQueue({
    pool,
    afterStamp: options.hooks?.afterStamp,
    maxBatchPushes: options.maxBatchPushes,
    lingerMs: options.lingerMs,
    onBatch: (report) => {
      // The queue guards this: a throwing listener never fails a committed batch.
      if (report.committedAt !== null) options.onCommitted?.(report.projectId, report.committedAt);
      log?.({ event: 'push-batch', ...report });
    },
  });
  /** A retry arriving while the same push is still queued or in flight shares its outcome. */
  const inFlight = new Map<string, Promise<PushResponse>>();
  let closed = false;

  async function pull(input: { projectId: string; lastPulledAt: number | null }): Promise<PullResponse> {
    const started = performance.now();
    const { projectId, lastPulledAt } = input;
    checkProjectId(projectId);
    if (lastPulledAt !== null && !(Number.isSafeInteger(lastPulledAt) && lastPulledAt >= 0)) {
      throw new SyncError('BAD_REQUEST', 'lastPulledAt must be null or a timestamp returned by an earlier pull');
    }
    const { response, shared } = await coalescer.pull(projectId, lastPulledAt);
    if (log) {
      let records = 0;
      let deleted = 0;
      for (const t of Object.values(response.changes)) {
        records += t.created.length + t.updated.length;
        deleted += t.deleted.length;
      }
      log({ event: 'pull', projectId, lastPulledAt, timestamp: response.timestamp, records, deleted, shared, durationMs: performance.now() - started });
    }
    return response;
  }

  async function push(input: { projectId: string; pushId: string; lastPulledAt: number | null; changes: unknown }): Promise<PushResponse> {
    const started = performance.now();
    const { projectId, pushId } = input;
    checkProjectId(projectId);
    if (typeof pushId !== 'string' || pushId.length === 0 || pushId.length > maxPushIdLength) {
      throw new SyncError('BAD_REQUEST', `pushId must be a non-empty string of at most ${maxPushIdLength} characters`);
    }
    if (closed) throw new Error('sync service is closed');
    const key = `${projectId}\u0000${pushId}`;
    const existing = inFlight.get(key);
    if (existing) return existing;
    const result = (async () => {
      const validated = validateChanges(input.changes);
      const timestamp = await queue.enqueue(projectId, { pushId, changes: validated.changes, recordCount: validated.recordCount });
      log?.({ event: 'push', projectId, pushId, timestamp, records: validated.recordCount, durationMs: performance.now() - started });
      return { timestamp };
    })();
    inFlight.set(key, result);
    try {
      return await result;
    } catch (error) {
      if (error instanceof SyncError) {
        log?.({ event: 'push-failed', projectId, pushId, code: error.code, message: error.message, durationMs: performance.now() - started });
      }
      throw error;
    } finally {
      inFlight.delete(key);
    }
  }

  return {
    pull,
    push,
    async close() {
      closed = true;
      await queue.settled();
    },
  };
}

function checkProjectId(projectId: unknown): asserts projectId is string {
  if (typeof projectId !== 'string' || projectId.length === 0) {
    throw new SyncError('BAD_REQUEST', 'projectId must be a non-empty string');
  }
}

function validateChanges(changes: unknown) {
  // The HTTP layer caps the body; this keeps the service's own contract whoever calls it.
  const bytes = Buffer.byteLength(JSON.stringify(changes) ?? '');
  if (bytes > pushLimits.maxBytes) {
    throw new SyncError('PAYLOAD_TOO_LARGE', `a push may be at most ${pushLimits.maxBytes} bytes; this one is ${bytes}`);
  }
  const validated = validatePushChanges(changes);
  if (!validated.ok) throw new SyncError(validated.code, validated.message);
  return validated;
}
