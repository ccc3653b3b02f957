/**
 * WebSocket close codes Clapper's servers send and its clients read, in one place: call
 * sites name the reason (`CLOSE.ROLE_CHANGED`), never a bare number. 1000-1015 are the
 * RFC 6455 codes; 4000-4999 are ours (the range the RFC leaves to applications).
 */
export const CLOSE = {
  /** A client closing on purpose (e.g. the nudge socket once nothing is subscribed). */
  NORMAL: 1000,
  /** The server is shutting down; clients reconnect (to another instance). */
  GOING_AWAY: 1001,
  /** A text frame where the protocol carries binary (y-websocket). */
  UNSUPPORTED_DATA: 1003,
  /** A message the protocol cannot read (Yjs update, state vector, awareness). */
  INVALID_PAYLOAD: 1007,
  /** A connection broke a rule of the protocol (e.g. too many messages before its doc loaded). */
  POLICY_VIOLATION: 1008,
  /** A frame over the socket's size limit (the Yjs update limit on /yjs); refused before it is read, nothing stored. */
  MESSAGE_TOO_BIG: 1009,
  /** The server could not do what the connection needs (load the doc, store an update); clients reconnect. */
  INTERNAL_ERROR: 1011,
  /** Load shedding: the instance is near its connection or descriptor budget; clients retry later (with backoff). */
  TRY_AGAIN_LATER: 1013,
  /** The member's role in the project changed: transient, providers reconnect under the new role. */
  ROLE_CHANGED: 4000,
  /** No longer a member of the project (removed, or the project deleted): don't reconnect, a new upgrade is refused (403). */
  ACCESS_REVOKED: 4003,
  /** Too many open sockets for this user or this address on the instance: transient, clients retry with backoff. */
  TOO_MANY_CONNECTIONS: 4029,
  /**
   * The update would take the doc past its size limit: nothing of it is stored. In the
   * 4400-4499 range, which y-websocket treats as final (resending the same edits can't succeed).
   */
  DOC_TOO_LARGE: 4413,
} as const;

export type CloseCode = (typeof CLOSE)[keyof typeof CLOSE];
