/**
 * The nudge of each committed push. A small commit's nudge carries its changes, read as a
 * pull from the project's clock before the commit (so `{changes, timestamp}` is exactly
 * what a device that pulled up to `since` would pull now); a device there applies it and
 * skips the round trip, any other device pulls. Too many records, too many bytes, or a
 * failed read: a bare nudge, as before.
 */
import type { Logger } from '@clapper/log';
import { nudgeChangesLimits, schemaVersion } from '@clapper/schema';
import type { CommitInfo, SyncService } from '@clapper/sync-server';
import type { ProjectEvents, PulledChanges } from './project-events.ts';

export interface CommitNudgesOptions {
  sync: Pick<SyncService, 'changesSince'>;
  events: ProjectEvents;
  logger: Logger;
  /** Other instances may have subscribers this one can't see (Redis is configured). */
  crossInstance: boolean;
}

export type CommitNudges = (projectId: string, timestamp: number, commit: CommitInfo) => void;

export function createCommitNudges({ sync, events, logger, crossInstance }: CommitNudgesOptions): CommitNudges {
  /** Per project, the last nudge not yet published: nudges leave in commit order. */
  const tails = new Map<string, Promise<void>>();

  /** The pull a device at `previous` would get now, or null when it is too big to ride a nudge. */
  async function changesOf(
    projectId: string,
    commit: CommitInfo,
  ): Promise<{ pulled: PulledChanges; timestamp: number } | null> {
    const response = await sync.changesSince(projectId, commit.previous);
    const changesJson = JSON.stringify(response.changes);
    if (Buffer.byteLength(changesJson) > nudgeChangesLimits.maxBytes) return null;
    return { pulled: { since: commit.previous, schemaVersion, changesJson }, timestamp: response.timestamp };
  }

  return (projectId, timestamp, commit) => {
    const wanted = commit.records <= nudgeChangesLimits.maxRecords && (crossInstance || events.listens(projectId));
    const tail = tails.get(projectId);
    if (!wanted && !tail) return events.publish(projectId, timestamp);
    const read = wanted
      ? changesOf(projectId, commit).catch((error: unknown) => {
          logger.warn('nudge sent without its changes: reading them failed', { project: projectId, error });
          return null;
        })
      : Promise.resolve(null);
    const published = Promise.all([tail, read]).then(([, changes]) => {
      // A later commit may be in the read already: then the read's clock covers it too.
      if (changes) events.publish(projectId, changes.timestamp, changes.pulled);
      else events.publish(projectId, timestamp);
    });
    tails.set(projectId, published);
    void published.finally(() => {
      if (tails.get(projectId) === published) tails.delete(projectId);
    });
  };
}
