export const syncErrorCodes = ['BAD_REQUEST', 'PAYLOAD_TOO_LARGE', 'NOT_FOUND'] as const;
export type SyncErrorCode = (typeof syncErrorCodes)[number];

/** A sync failure the caller can act on; api maps `code` to the tRPC error code. */
export class SyncError extends Error {
  constructor(
    readonly code: SyncErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SyncError';
  }
}
