export { type ProjectDatabaseOptions, createProjectAdapter, createProjectDatabase, projectDatabaseName } from './project-database.ts';
export {
  type SyncEngine,
  type SyncEngineOptions,
  type SyncLogEntry,
  createSyncEngine,
  migrationsEnabledAtVersion,
} from './sync-engine.ts';
export {
  type MessageLike,
  type NudgeListener,
  type NudgeSocketOptions,
  type NudgeSocketState,
  type WebSocketConstructor,
  type WebSocketLike,
  NudgeSocket,
} from './nudge-socket.ts';
export { type SyncStatus, SyncStatusStore, initialSyncStatus } from './sync-status.ts';
export { type SchedulerState, type SyncSchedulerOptions, type TriggerReason, SyncScheduler } from './sync-scheduler.ts';
export { type BackoffOptions, backoffDelay, defaultBackoff } from './backoff.ts';
export { type SyncTransport, type TrpcTransportOptions, createTrpcTransport } from './sync-transport.ts';
export { type FailureAction, type SyncErrorCode, SyncClientError, syncErrorCodes, toSyncClientError } from './sync-client-error.ts';
export { type Timers, realTimers } from './timers.ts';
export { canonicalChanges, hashChanges } from './changes-hash.ts';
