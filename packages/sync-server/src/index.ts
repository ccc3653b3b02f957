// packages/sync-server: structured sync (pull/push) against PostgreSQL. The api
// package's router calls these; access control (membership, role) happens before, in api.
export { type SyncErrorCode, SyncError, syncErrorCodes } from './sync-error.ts';
export {
  type ProjectId,
  type PullInput,
  type PushInput,
  parsePullRequest,
  parsePushRequest,
  projectIdOf,
  projectIdSchema,
} from './sync-request.ts';
export {
  type CommitInfo,
  type SyncLogEntry,
  type SyncService,
  type SyncServiceOptions,
  createSyncService,
} from './sync-service.ts';
export type { BatchReport } from './push-queue.ts';
