import { describeIssues } from '@clapper/schema';
import { SyncError } from '@clapper/sync-server';
import { TRPCError } from '@trpc/server';
import { ApiError } from './api-error.ts';
import { isDatabaseUnavailable } from './database-unavailable.ts';

type TRPCCode = TRPCError['code'];

const syncCodes: Record<SyncError['code'], TRPCCode> = {
  BAD_REQUEST: 'BAD_REQUEST',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  NOT_FOUND: 'NOT_FOUND',
};

interface Issue {
  path?: ReadonlyArray<PropertyKey | { key: PropertyKey }>;
  message: string;
}

function hasIssues(value: unknown): value is { issues: Issue[] } {
  return typeof value === 'object' && value !== null && Array.isArray((value as { issues?: unknown }).issues);
}

/**
 * The one place domain errors become tRPC errors. Returns the error to throw, or null
 * when the failure is unexpected (then it stays INTERNAL_SERVER_ERROR and is logged).
 */
export function toTRPCError(error: TRPCError): TRPCError | null {
  const cause = error.cause;
  if (cause instanceof ApiError) return new TRPCError({ code: cause.code, message: cause.message, cause });
  if (cause instanceof SyncError)
    return new TRPCError({ code: syncCodes[cause.code] ?? 'BAD_REQUEST', message: cause.message, cause });
  if (error.code === 'BAD_REQUEST' && hasIssues(cause)) {
    return new TRPCError({ code: 'BAD_REQUEST', message: `invalid input: ${describeIssues(cause.issues)}`, cause });
  }
  if (error.code !== 'INTERNAL_SERVER_ERROR') return error;
  if (isDatabaseUnavailable(cause)) {
    return new TRPCError({
      code: 'SERVICE_UNAVAILABLE',
      message: 'the database is unavailable; try again shortly',
      cause,
    });
  }
  return null;
}
