/** Limits of the contract (docs/protocol.md); a push over them gets PAYLOAD_TOO_LARGE. */
export const pushLimits = {
  maxBytes: 10 * 1024 * 1024,
  maxRecords: 10_000,
  /** Longest string a single column may hold (a synopsis, a description). */
  maxStringLength: 100_000,
} as const;

/** Record ids: WatermelonDB's 16-character ids, UUIDs, or similar URL-safe strings. */
export const recordIdPattern = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * A commit's changes ride its `/sync` nudge (and the Redis message between instances) only
 * when it wrote at most `maxRecords` records and they serialize to at most `maxBytes`;
 * bigger ones get a bare nudge and devices pull.
 */
export const nudgeChangesLimits = {
  maxRecords: 100,
  maxBytes: 32 * 1024,
} as const;

/** The `/sync` socket: its largest message (a bigger one closes the socket, 1009). */
export const syncSocketLimits = {
  maxMessageBytes: 16 * 1024,
} as const;
