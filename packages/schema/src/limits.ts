/** Limits of the contract (docs/protocol.md); a push over them gets PAYLOAD_TOO_LARGE. */
export const pushLimits = {
  maxBytes: 10 * 1024 * 1024,
  maxRecords: 10_000,
  /** Longest string a single column may hold (a synopsis, a description). */
  maxStringLength: 100_000,
} as const;

/** Record ids: WatermelonDB's 16-character ids, UUIDs, or similar URL-safe strings. */
export const recordIdPattern = /^[A-Za-z0-9_-]{1,64}$/;
