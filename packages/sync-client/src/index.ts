export { type ProjectDatabaseOptions, createProjectDatabase } from './project-database.ts';
export { countPendingChanges } from './local-changes.ts';
export { prepareCreateShared } from './shared-records.ts';
export { type SyncEngine, type SyncEngineOptions, type SyncLogEntry, createSyncEngine } from './sync-engine.ts';
export {
  type MessageLike,
  type NudgeListener,
  type NudgeSocketOptions,
  type NudgeSocketState,
  type WebSocketConstructor,
  type WebSocketLike,
  NudgeSocket,
} from './nudge-socket.ts';
export { type SyncStatus } from './sync-status.ts';
export { type BackoffOptions } from './backoff.ts';
export { type SyncTransport } from './sync-transport.ts';
export { type SyncErrorCode, SyncClientError } from './sync-client-error.ts';
export { type Timers } from './timers.ts';
