import type { Pool } from '@clapper/db';
import { type Logger, defaultLogger } from '@clapper/log';
import type { PullResponse, PushResponse, SyncChanges } from '@clapper/schema';
import { readClockStatement } from './project-clock.ts';
import { PullCoalescer } from './pull-changes.ts';
import { type BatchReport, PushQueue } from './push-queue.ts';
import { SyncError } from './sync-error.ts';
import type { PullInput, PushInput } from './sync-request.ts';

/** One debug line per pull, push and push transaction, logged as `sync <event>` with these fields. */
export type SyncLogEntry =
  | {
      event: 'pull';
      projectId: string;
      lastPulledAt: number | null;
      timestamp: number;
      records: number;
      deleted: number;
      shared: boolean;
      durationMs: number;
    }
  | { event: 'push'; projectId: string; pushId: string; timestamp: number; records: number; durationMs: number }
  | { event: 'push-failed'; projectId: string; pushId: string; code: string; message: string; durationMs: number }
  | ({ event: 'push-batch' } & Omit<BatchReport, 'changes'>);

export interface CommitInfo {
  /** The stamp of the project's previous commit: the changes of this one are a pull from it. */
  readonly previous: number;
  readonly records: number;
  /**
   * What a pull from `previous` answers at this commit's stamp: the rows it wrote, at the
   * server's schema version; null for a commit of more than `nudgeChangesLimits.maxRecords`
   * records (not read, for a nudge could not carry them), and when `wantsChanges` said no.
   */
  readonly changes: SyncChanges | null;
}

/** Takes requests checked by `parsePullRequest` / `parsePushRequest`, and checks nothing again. */
export interface SyncService {
  pull(input: PullInput): Promise<PullResponse>;
  push(input: PushInput): Promise<PushResponse>;
  /** The project's latest stamp (the last committed push's timestamp; 0 before any), null for an unknown project. */
  clock(projectId: string): Promise<number | null>;
  /** Stops taking pushes and waits for queued ones; the pool stays the caller's. */
  close(): Promise<void>;
}

export interface SyncServiceOptions {
  pool: Pool;
  /**
   * Called after every committed push transaction (fan-out of the "changed" nudge), with
   * the project's clock before it and how many records it wrote.
   */
  onCommitted?: (projectId: string, timestamp: number, commit: CommitInfo) => void;
  /**
   * Whether `onCommitted` could use a commit's changes for this project (someone listens
   * to its nudges); when false, the push statement does not collect the rows it wrote and
   * `CommitInfo.changes` is null. Default: always.
   */
  wantsChanges?: (projectId: string) => boolean;
  /** Where failures outside a request are reported, and one debug line per pull, push and batch (stdout when not given). */
  logger?: Logger;
  /** Most pushes one group-commit transaction takes (default 500). */
  maxBatchPushes?: number;
  /** How long a project's next transaction may wait for the last batch's clients to push again (default: the last transaction's duration, 2-10 ms). */
  lingerMs?: number;
}

export function createSyncService(options: SyncServiceOptions): SyncService {
  const { pool } = options;
  const logger = options.logger ?? defaultLogger();
  // Pushes run thousands a second: their debug entries are built only when debug lines are written.
  const log = logger.isEnabled('debug')
    ? (entry: SyncLogEntry) => logger.debug(`sync ${entry.event}`, { ...entry })
    : null;
  const coalescer = new PullCoalescer({ pool });
  const queue = new PushQueue({
    pool,
    logger,
    maxBatchPushes: options.maxBatchPushes,
    lingerMs: options.lingerMs,
    wantsChanges: options.wantsChanges,
    onBatch: (report) => {
      // The queue guards this: a throwing listener never fails a committed batch.
      const { changes, ...summary } = report;
      if (report.committedAt !== null)
        options.onCommitted?.(report.projectId, report.committedAt, {
          previous: report.previous,
          records: report.records,
          changes,
        });
      log?.({ event: 'push-batch', ...summary });
    },
  });
  /** A retry arriving while the same push is still queued or in flight shares its outcome. */
  const inFlight = new Map<string, Promise<PushResponse>>();
  let closed = false;

  async function pull(input: PullInput): Promise<PullResponse> {
    const started = performance.now();
    const { projectId, lastPulledAt } = input;
    const { response, shared } = await coalescer.pull(input);
    if (log) {
      let records = 0;
      let deleted = 0;
      for (const t of Object.values(response.changes)) {
        records += t.created.length + t.updated.length;
        deleted += t.deleted.length;
      }
      log({
        event: 'pull',
        projectId,
        lastPulledAt,
        timestamp: response.timestamp,
        records,
        deleted,
        shared,
        durationMs: performance.now() - started,
      });
    }
    return response;
  }

  async function push(input: PushInput): Promise<PushResponse> {
    const started = performance.now();
    const { projectId, pushId, changes, recordCount } = input;
    if (closed) throw new Error('sync service is closed');
    const key = `${projectId}\u0000${pushId}`;
    const existing = inFlight.get(key);
    if (existing) return existing;
    const result = (async () => {
      const timestamp = await queue.enqueue(projectId, { pushId, changes, recordCount });
      log?.({
        event: 'push',
        projectId,
        pushId,
        timestamp,
        records: recordCount,
        durationMs: performance.now() - started,
      });
      return { timestamp };
    })();
    inFlight.set(key, result);
    try {
      return await result;
    } catch (error) {
      if (error instanceof SyncError) {
        log?.({
          event: 'push-failed',
          projectId,
          pushId,
          code: error.code,
          message: error.message,
          durationMs: performance.now() - started,
        });
      }
      throw error;
    } finally {
      inFlight.delete(key);
    }
  }

  async function clock(projectId: string): Promise<number | null> {
    const result = await pool.query<{ clock: number }>({
      name: 'clapper-read-clock',
      text: readClockStatement,
      values: [projectId],
    });
    return result.rows[0]?.clock ?? null;
  }

  return {
    pull,
    push,
    clock,
    async close() {
      closed = true;
      await queue.settled();
    },
  };
}
