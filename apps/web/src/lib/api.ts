'use client';
import type { AppRouter } from '@clapper/api';
import { TRPCClientError, createTRPCClient, httpBatchLink } from '@trpc/client';

export type Api = ReturnType<typeof createTRPCClient<AppRouter>>;

export function createApi(serverUrl: string, token: string | null): Api {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${serverUrl}/trpc`,
        headers: () => (token ? { authorization: `Bearer ${token}` } : {}),
      }),
    ],
  });
}

/** The tRPC error code of a failed call, or 'NETWORK' when the server was not reached. */
export function apiErrorCode(error: unknown): string {
  if (error instanceof TRPCClientError) {
    const code = (error.data as { code?: string } | undefined)?.code;
    return code ?? 'NETWORK';
  }
  return 'NETWORK';
}

export function apiErrorMessage(error: unknown): string {
  if (apiErrorCode(error) === 'NETWORK') return 'Cannot reach the Clapper server. Check your connection and try again.';
  return error instanceof Error ? error.message : String(error);
}
