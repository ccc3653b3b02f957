/**
 * Why a sync failed, reduced to what the scheduler must decide: retry later (network,
 * server trouble), stop until the user signs in again (UNAUTHORIZED), or stop retrying
 * these changes because the server refused them (FORBIDDEN, BAD_REQUEST, ...).
 */
export const syncErrorCodes = {
  NETWORK: 'NETWORK',
  SERVER: 'SERVER',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  BAD_REQUEST: 'BAD_REQUEST',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  TOO_MANY_REQUESTS: 'TOO_MANY_REQUESTS',
  LOCAL: 'LOCAL',
} as const;

export type SyncErrorCode = (typeof syncErrorCodes)[keyof typeof syncErrorCodes];

/** What the scheduler does after a failure with this code. */
export type FailureAction = 'retry' | 'halt' | 'reject';

const actionByCode: Record<SyncErrorCode, FailureAction> = {
  NETWORK: 'retry',
  SERVER: 'retry',
  TOO_MANY_REQUESTS: 'retry',
  // A WatermelonDB invariant or a storage hiccup: worth another try, with backoff.
  LOCAL: 'retry',
  UNAUTHORIZED: 'halt',
  FORBIDDEN: 'reject',
  BAD_REQUEST: 'reject',
  PAYLOAD_TOO_LARGE: 'reject',
};

export class SyncClientError extends Error {
  constructor(
    readonly code: SyncErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SyncClientError';
  }

  get action(): FailureAction {
    return actionByCode[this.code];
  }
}

const trpcCodeMap: Record<string, SyncErrorCode> = {
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  BAD_REQUEST: 'BAD_REQUEST',
  PARSE_ERROR: 'BAD_REQUEST',
  NOT_FOUND: 'BAD_REQUEST',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  TOO_MANY_REQUESTS: 'TOO_MANY_REQUESTS',
};

/** The client's code for a server's error code (tRPC's, over HTTP or the `/sync` socket). */
export function syncErrorCodeOf(serverCode: string): SyncErrorCode {
  return trpcCodeMap[serverCode] ?? 'SERVER';
}

function trpcCodeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('data' in error)) return undefined;
  const data = (error as { data?: unknown }).data;
  if (typeof data !== 'object' || data === null) return undefined;
  const code = (data as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Maps whatever a sync attempt threw (a TRPCClientError, a fetch TypeError, a
 * WatermelonDB invariant) to a SyncClientError. A tRPC error without `data` never got
 * a tRPC answer from the server: the network or a proxy failed, so it is retryable.
 */
export function toSyncClientError(error: unknown): SyncClientError {
  if (error instanceof SyncClientError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const trpcCode = trpcCodeOf(error);
  if (trpcCode !== undefined) {
    return new SyncClientError(syncErrorCodeOf(trpcCode), message, { cause: error });
  }
  if (error instanceof Error && error.name === 'TRPCClientError') {
    return new SyncClientError('NETWORK', message, { cause: error });
  }
  if (error instanceof TypeError) return new SyncClientError('NETWORK', message, { cause: error });
  return new SyncClientError('LOCAL', message, { cause: error });
}
