import { createTRPCUntypedClient, httpLink } from '@trpc/client';
import type { AnyTRPCRouter } from '@trpc/server';
import type { PullRequest, PullResponse, PushRequest, PushResponse } from '@clapper/schema';
import { SyncClientError } from './sync-client-error.ts';

/** The two sync procedures of the contract (docs/protocol.md), as the engine uses them. */
export interface SyncTransport {
  pull(request: PullRequest): Promise<PullResponse>;
  push(request: PushRequest): Promise<PushResponse>;
}

export interface TrpcTransportOptions {
  /** Server origin, e.g. `http://localhost:4000`; tRPC lives at `/trpc`. */
  serverUrl: string;
  /** Called per request, so a refreshed token is picked up without a new engine. */
  getToken: () => string | null | Promise<string | null>;
  /** Override fetch (tests wrap it to count requests or drop responses). */
  fetch?: typeof globalThis.fetch;
}

function trpcUrl(serverUrl: string): string {
  return `${serverUrl.replace(/\/+$/, '')}/trpc`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkTimestamp(value: unknown, procedure: string): number {
  if (!isObject(value) || typeof value.timestamp !== 'number' || !Number.isFinite(value.timestamp)) {
    throw new SyncClientError('SERVER', `${procedure} answered without a numeric timestamp`);
  }
  return value.timestamp;
}

/**
 * tRPC over plain JSON with the untyped client: sync-client sits below `api` in the
 * layering, so it speaks the wire contract (@clapper/schema types), not the router type.
 */
export function createTrpcTransport(options: TrpcTransportOptions): SyncTransport {
  const client = createTRPCUntypedClient<AnyTRPCRouter>({
    links: [
      httpLink({
        url: trpcUrl(options.serverUrl),
        ...(options.fetch ? { fetch: options.fetch } : {}),
        headers: async () => {
          const token = await options.getToken();
          return token ? { Authorization: `Bearer ${token}` } : {};
        },
      }),
    ],
  });
  return {
    async pull(request) {
      const response = await client.query('sync.pull', request);
      const timestamp = checkTimestamp(response, 'sync.pull');
      if (!isObject(response) || !isObject(response.changes)) {
        throw new SyncClientError('SERVER', 'sync.pull answered without a changes object');
      }
      return { changes: response.changes as PullResponse['changes'], timestamp };
    },
    async push(request) {
      const response = await client.mutation('sync.push', request);
      return { timestamp: checkTimestamp(response, 'sync.push') };
    },
  };
}
