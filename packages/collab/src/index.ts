// Contract for packages/collab (implementation in progress). The api package's HTTP
// server hands every upgrade whose path starts with /yjs/ to `handleUpgrade`.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Pool } from '@clapper/db';
import type { Role } from '@clapper/schema';

export type YjsAccess =
  | { kind: 'granted'; userId: string; userName: string; role: Role }
  | { kind: 'unauthorized' }
  | { kind: 'forbidden' };

export interface CollabServerOptions {
  pool: Pool;
  /** Token from the `?token=` query string (null when absent) -> access to one project. */
  authorize(token: string | null, projectId: string): Promise<YjsAccess>;
  /** Cross-instance fan-out of Yjs updates when set. */
  redisUrl?: string;
}

export interface CollabServer {
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): Promise<void>;
}

export function createCollabServer(_options: CollabServerOptions): CollabServer {
  return {
    handleUpgrade(_request, socket) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\n\r\n');
    },
    async close() {},
  };
}
