/**
 * Group commit: pushes to one project that arrive while that project's transaction
 * is in flight wait here and go into the next transaction together (one stamp, one
 * commit, each push still recorded and answered on its own). This queue is only for
 * throughput; ordering and exclusion come from the project row lock in PostgreSQL,
 * which also serializes other server instances.
 */
import type { Pool } from '@clapper/db';
import { type Logger, defaultLogger } from '@clapper/log';
import { pushLimits } from '@clapper/schema';
import { type BatchResult, MergedPushRetried, applyPushBatch } from './apply-push.ts';
import { PushStatements } from './push-statement.ts';
import { SyncError } from './sync-error.ts';
import type { ValidatedPush } from './sync-request.ts';

export interface BatchReport extends BatchResult {
  readonly projectId: string;
  readonly pushes: number;
  readonly durationMs: number;
}

interface Waiting {
  readonly push: ValidatedPush;
  resolve(timestamp: number): void;
  reject(error: unknown): void;
}

export interface PushQueueOptions {
  pool: Pool;
  onBatch?: (report: BatchReport) => void;
  /** Reports a failing `onBatch` (stdout when not given). */
  logger?: Logger;
  /** At most this many pushes share a transaction. */
  maxBatchPushes?: number;
  /**
   * How long a project's next transaction may wait for the clients of the previous
   * batch to push again. Default: as long as the last transaction took, within 2-10 ms.
   * The commit's fsync dominates a push, so gathering every active client into one batch
   * is worth a short wait: the next batch expects the pushes just answered plus those
   * that queued meanwhile (else pushers settle into alternating half-size batches, each
   * paying a commit). A lone client never waits: the wait ends as soon as that many are
   * queued, and when fewer come back the next wait expects fewer.
   */
  lingerMs?: number;
  /**
   * Whether a commit to the project should return the rows it wrote (for its nudge, S11),
   * asked as its statement is built; default always. Nobody to nudge: the statement skips
   * collecting them.
   */
  wantsChanges?: (projectId: string) => boolean;
}

interface Lane {
  readonly queue: Waiting[];
  /** Set while the drain loop lingers for more pushes. */
  wake?: () => void;
}

export class PushQueue {
  /** A project is present while its drain loop runs; the array holds pushes not yet taken. */
  private readonly lanes = new Map<string, Lane>();
  private readonly idle = new Set<() => void>();
  private readonly statements: PushStatements;

  constructor(private readonly options: PushQueueOptions) {
    this.statements = PushStatements.of(options.pool);
  }

  enqueue(projectId: string, push: ValidatedPush): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      const entry = { push, resolve, reject };
      const lane = this.lanes.get(projectId);
      if (lane) {
        lane.queue.push(entry);
        lane.wake?.();
        return;
      }
      const fresh: Lane = { queue: [entry] };
      this.lanes.set(projectId, fresh);
      void this.drain(projectId, fresh);
    });
  }

  /** Resolves once no push is queued or in flight. */
  async settled(): Promise<void> {
    while (this.lanes.size > 0) await new Promise<void>((resolve) => this.idle.add(resolve));
  }

  private async drain(projectId: string, lane: Lane): Promise<void> {
    const { queue } = lane;
    try {
      while (queue.length > 0) {
        const batch = this.takeBatch(queue);
        const started = performance.now();
        await this.runBatch(projectId, batch);
        const tookMs = performance.now() - started;
        await this.linger(
          lane,
          batch.length + queue.length,
          this.options.lingerMs ?? Math.min(10, Math.max(2, tookMs)),
        );
      }
    } finally {
      this.lanes.delete(projectId);
      for (const wake of this.idle) wake();
      this.idle.clear();
    }
  }

  /** Waits until the queue holds `expected` pushes, or `lingerMs` passed. */
  private async linger(lane: Lane, expected: number, lingerMs: number): Promise<void> {
    if (lane.queue.length >= expected || lingerMs <= 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, lingerMs);
      function done() {
        clearTimeout(timer);
        lane.wake = undefined;
        resolve();
      }
      lane.wake = () => {
        if (lane.queue.length >= expected) done();
      };
    });
  }

  private takeBatch(queue: Waiting[]): Waiting[] {
    const maxPushes = this.options.maxBatchPushes ?? 500;
    let records = 0;
    let n = 0;
    while (n < queue.length && n < maxPushes) {
      records += queue[n]!.push.recordCount;
      if (n > 0 && records > pushLimits.maxRecords) break;
      n += 1;
    }
    return queue.splice(0, n);
  }

  private async runBatch(projectId: string, batch: Waiting[]): Promise<void> {
    try {
      const timestamps = await this.transact(projectId, batch);
      batch.forEach((entry, i) => entry.resolve(timestamps[i]!));
    } catch (error) {
      if (batch.length === 1 || (error instanceof SyncError && error.code === 'NOT_FOUND')) {
        for (const entry of batch) entry.reject(error);
        return;
      }
      // One bad push must not sink the others, nor a retry merged with others
      // (MergedPushRetried): apply each alone, in arrival order.
      for (const entry of batch) await this.runBatch(projectId, [entry]);
    }
  }

  private async transact(projectId: string, batch: Waiting[]): Promise<number[]> {
    const started = performance.now();
    const client = await this.options.pool.connect();
    let result: BatchResult;
    try {
      result = await applyPushBatch(
        client,
        this.statements,
        projectId,
        batch.map((entry) => entry.push),
        this.options.wantsChanges?.(projectId) ?? true,
      );
    } catch (error) {
      // A connection that failed for an unknown reason is not returned to the pool.
      const known = error instanceof SyncError || error instanceof MergedPushRetried;
      client.release(known ? undefined : (error as Error));
      throw error;
    }
    client.release();
    try {
      this.options.onBatch?.({ ...result, projectId, pushes: batch.length, durationMs: performance.now() - started });
    } catch (error) {
      // The batch is committed; a failing listener must not turn it into an error.
      (this.options.logger ?? defaultLogger()).error('push batch listener failed', {
        component: 'sync',
        project: projectId,
        error,
      });
    }
    return result.timestamps;
  }
}
