import type { Logger } from '@clapper/log';
import type { PushResponse } from '@clapper/schema';
import type { PushInput, SyncService } from '@clapper/sync-server';
import type { ServerMetrics } from './metrics.ts';

/**
 * A checked push applied, with its metrics and log line: the same for `sync.push` over HTTP
 * and a push over the `/sync` socket (`via`).
 */
export async function loggedPush(
  deps: { sync: SyncService; metrics: ServerMetrics; logger: Logger },
  userId: string,
  input: PushInput,
  via: 'http' | 'socket',
): Promise<PushResponse> {
  const { metrics, sync, logger } = deps;
  const started = performance.now();
  try {
    const result = await sync.push(input);
    const records = input.recordCount;
    const seconds = (performance.now() - started) / 1000;
    metrics.pushes.inc({ outcome: 'ok' });
    metrics.pushRecords.inc(records);
    metrics.pushDuration.observe(seconds);
    logger.info('push', {
      project: input.projectId,
      user: userId,
      pushId: input.pushId,
      records,
      timestamp: result.timestamp,
      via,
      durationMs: Math.round(seconds * 1000),
    });
    return result;
  } catch (error) {
    metrics.pushes.inc({ outcome: 'rejected' });
    // What a crew member needs when "my change didn't show up": who, where, why.
    logger.info('push rejected', {
      project: input.projectId,
      user: userId,
      pushId: input.pushId,
      via,
      error: error instanceof Error ? error.message : String(error),
      durationMs: Math.round(performance.now() - started),
    });
    throw error;
  }
}
