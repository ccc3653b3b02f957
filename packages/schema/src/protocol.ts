/** Wire types of the public contract (docs/protocol.md), shared by server and clients. */

export const roles = ['owner', 'editor', 'viewer'] as const;
export type Role = (typeof roles)[number];

/** `{id, ...columns}` with snake_case column names, as WatermelonDB stores it. */
export type RawRecord = { id: string } & Record<string, unknown>;

export interface TableChanges {
  created: RawRecord[];
  updated: RawRecord[];
  deleted: string[];
}

export type SyncChanges = Record<string, TableChanges>;

/** WatermelonDB's migration sync info: what the client's local migrations added since `from`. */
export interface PullMigration {
  from: number;
  tables: string[];
  columns: { table: string; columns: string[] }[];
}

export interface PullRequest {
  projectId: string;
  lastPulledAt: number | null;
  /** The client's local schema version; absent means the server's (`schemaVersion`). */
  schemaVersion?: number;
  migration?: PullMigration | null;
}

export interface PullResponse {
  changes: SyncChanges;
  /** The project's clock when the pull was read; pass it back as the next `lastPulledAt`. */
  timestamp: number;
}

export interface PushRequest {
  projectId: string;
  /** Client-chosen and unique per push; a retried push with the same id is applied once. */
  pushId: string;
  lastPulledAt: number | null;
  changes: unknown;
}

export interface PushResponse {
  timestamp: number;
}

/**
 * "Project X committed a push at `timestamp`". When the commit was small it also carries
 * `since`, `schemaVersion` and `changes`: `{changes, timestamp}` is what `sync.pull` from
 * `lastPulledAt = since` at `schemaVersion` answers, so a device at that version whose last
 * pull is exactly `since` may apply it instead of pulling; any other device pulls as before.
 */
export interface NudgeChanged {
  type: 'changed';
  projectId: string;
  timestamp: number;
  since?: number;
  schemaVersion?: number;
  changes?: SyncChanges;
}

/**
 * A push over the `/sync` socket: `push` is exactly `sync.push`'s input, answered by a
 * `pushed` (committed) or an `error` carrying the same `requestId`.
 */
export interface SocketPush {
  type: 'push';
  /** Chosen by the client, unique among its pushes in flight on this socket. */
  requestId: string;
  push: PushRequest;
}

/** Messages on the `/sync` nudge socket. */
export type NudgeClientMessage = { type: 'subscribe' | 'unsubscribe'; projectId: string } | SocketPush;
export type NudgeServerMessage =
  /** `push: true`: this server takes pushes on this socket (`SocketPush`). */
  | { type: 'subscribed'; projectId: string; push?: boolean }
  | { type: 'unsubscribed'; projectId: string }
  | NudgeChanged
  | { type: 'pushed'; requestId: string; timestamp: number }
  | { type: 'error'; code: string; message?: string; projectId?: string; requestId?: string };
