/**
 * The nudge of each committed push. A small commit's nudge carries its changes, which the
 * push statement returned as it wrote them (`CommitInfo.changes`: exactly what a device
 * that pulled up to `previous` would pull at the commit's stamp); a device there applies
 * it and skips the round trip, any other device pulls. Too many records or too many
 * bytes: a bare nudge. Nothing is read after the commit, so the nudge leaves at once, in
 * commit order.
 */
import { nudgeChangesLimits, schemaVersion } from '@clapper/schema';
import type { CommitInfo } from '@clapper/sync-server';
import type { ProjectEvents } from './project-events.ts';

export interface CommitNudgesOptions {
  events: ProjectEvents;
  /** Other instances may have subscribers this one can't see (Redis is configured). */
  crossInstance: boolean;
}

export type CommitNudges = (projectId: string, timestamp: number, commit: CommitInfo) => void;

export function createCommitNudges({ events, crossInstance }: CommitNudgesOptions): CommitNudges {
  return (projectId, timestamp, commit) => {
    const { changes } = commit;
    if (changes === null || commit.records > nudgeChangesLimits.maxRecords) return events.publish(projectId, timestamp);
    if (!crossInstance && !events.listens(projectId)) return events.publish(projectId, timestamp);
    const changesJson = JSON.stringify(changes);
    if (Buffer.byteLength(changesJson) > nudgeChangesLimits.maxBytes) return events.publish(projectId, timestamp);
    events.publish(projectId, timestamp, { since: commit.previous, schemaVersion, changesJson });
  };
}
