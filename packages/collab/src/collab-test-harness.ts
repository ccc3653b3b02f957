// Test wiring (not exported from the package): a real HTTP server on port 0 handing /yjs/
// upgrades to createCollabServer, an authorize backed by the users/sessions/project_members
// tables, seeded members with session tokens, and stock y-websocket clients. It stands in
// for the api's ticket exchange (tested there, in PostgreSQL) with single-use tickets kept
// in memory and `POST /trpc/auth.socketTicket` answered as the api answers it.
import { createHash, randomBytes } from 'node:crypto';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Pool } from '@clapper/db';
import { createQuietLogger } from '@clapper/log';
import type { Role } from '@clapper/schema';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { type CollabServer, type CollabServerOptions, type YjsAccess, createCollabServer } from './collab-server.ts';
import { ticketedWebSocket } from './ticketed-websocket.ts';

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

const tickets = new Map<string, string>();

/** A single-use ticket standing for `token` (spent by the first upgrade that shows it). */
export function issueTicket(token: string): string {
  const ticket = randomBytes(24).toString('base64url');
  tickets.set(ticket, token);
  return ticket;
}

/** Sessions store sha256(token), as the api package does. */
export function dbAuthorize(pool: Pool): CollabServerOptions['authorize'] {
  return async (ticket, projectId): Promise<YjsAccess> => {
    const token = ticket === null ? undefined : tickets.get(ticket);
    if (ticket !== null) tickets.delete(ticket);
    if (!token) return { kind: 'unauthorized' };
    const session = await pool.query<{ user_id: string; name: string }>(
      `SELECT s.user_id, u.name FROM sessions s JOIN users u ON u.id = s.user_id
       WHERE s.token_hash = $1 AND s.expires_at > $2`,
      [sha256Hex(token), Date.now()],
    );
    const user = session.rows[0];
    if (!user) return { kind: 'unauthorized' };
    const member = await pool.query<{ role: Role }>(
      'SELECT role FROM project_members WHERE project_id = $1 AND user_id = $2',
      [projectId, user.user_id],
    );
    const role = member.rows[0]?.role;
    if (!role) return { kind: 'forbidden' };
    return { kind: 'granted', userId: user.user_id, userName: user.name, role };
  };
}

export interface SeededProject {
  projectId: string;
  tokens: { owner: string; editor: string; viewer: string; outsider: string };
}

async function createUser(pool: Pool, name: string): Promise<{ id: string; token: string }> {
  const id = `u_${randomBytes(6).toString('hex')}`;
  const token = randomBytes(24).toString('base64url');
  const now = Date.now();
  await pool.query('INSERT INTO users (id, email, name, created_at) VALUES ($1, $2, $3, $4)', [
    id,
    `${id}@example.test`,
    name,
    now,
  ]);
  await pool.query('INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)', [
    sha256Hex(token),
    id,
    now,
    now + 86_400_000,
  ]);
  return { id, token };
}

/** A project with an owner, an editor and a viewer, plus a signed-in user who is not a member. */
export async function seedProject(pool: Pool): Promise<SeededProject> {
  const projectId = `p_${randomBytes(6).toString('hex')}`;
  const now = Date.now();
  await pool.query('INSERT INTO projects (id, name, created_at) VALUES ($1, $2, $3)', [projectId, 'Night Shoot', now]);
  const users = {
    owner: await createUser(pool, 'Olivia Owner'),
    editor: await createUser(pool, 'Eddie Editor'),
    viewer: await createUser(pool, 'Vera Viewer'),
    outsider: await createUser(pool, 'Otto Outsider'),
  };
  for (const role of ['owner', 'editor', 'viewer'] as const) {
    await pool.query('INSERT INTO project_members (project_id, user_id, role, created_at) VALUES ($1, $2, $3, $4)', [
      projectId,
      users[role].id,
      role,
      now,
    ]);
  }
  return {
    projectId,
    tokens: {
      owner: users.owner.token,
      editor: users.editor.token,
      viewer: users.viewer.token,
      outsider: users.outsider.token,
    },
  };
}

export interface CollabHttpServer {
  readonly url: string;
  readonly port: number;
  readonly collab: CollabServer;
  close(): Promise<void>;
}

export async function startCollabHttpServer(
  pool: Pool,
  options: Partial<CollabServerOptions> & { port?: number } = {},
): Promise<CollabHttpServer> {
  const collab = createCollabServer({ pool, authorize: dbAuthorize(pool), logger: createQuietLogger(), ...options });
  const http: Server = createServer((req, res) => {
    const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (req.method === 'POST' && req.url === '/trpc/auth.socketTicket' && token) {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ result: { data: { ticket: issueTicket(token), expiresAt: Date.now() + 30_000 } } }));
      return;
    }
    res.writeHead(404).end();
  });
  http.on('upgrade', (req, socket, head) => {
    if ((req.url ?? '').startsWith('/yjs/')) collab.handleUpgrade(req, socket, head);
    else socket.destroy();
  });
  await new Promise<void>((resolve) => http.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (http.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    collab,
    async close() {
      await collab.close();
      await new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      });
    },
  };
}

/**
 * A stock y-websocket client in Node (no BroadcastChannel: every byte goes through the
 * server), with a fresh ticket for each connection (none when `token` is null).
 */
export function connectClient(
  serverUrl: string,
  docName: string,
  token: string | null,
  doc = new Y.Doc(),
  /** Where tickets come from; this harness's own by default (the real server's: `TestServer.ticket`). */
  getTicket: (token: string) => Promise<string> = async (t) => issueTicket(t),
): WebsocketProvider {
  const Base = WebSocket as unknown as typeof globalThis.WebSocket;
  return new WebsocketProvider(`${serverUrl.replace(/^http/, 'ws')}/yjs`, docName, doc, {
    WebSocketPolyfill: token === null ? Base : ticketedWebSocket(Base, () => getTicket(token)),
    disableBc: true,
    maxBackoffTime: 200,
  });
}

export async function waitFor(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export function synced(provider: WebsocketProvider): Promise<void> {
  if (provider.synced) return Promise.resolve();
  return new Promise((resolve) => {
    const onSync = (isSynced: boolean) => {
      if (!isSynced) return;
      provider.off('sync', onSync);
      resolve();
    };
    provider.on('sync', onSync);
  });
}

/** The HTTP status of a refused upgrade (or 101 when it was accepted). */
export function upgradeStatus(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.on('open', () => {
      socket.close();
      resolve({ status: 101, body: '' });
    });
    socket.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    socket.on('error', (error) => {
      if (!/Unexpected server response/.test(error.message)) reject(error);
    });
  });
}

/** The doc as PostgreSQL holds it: snapshot + every log row (one statement), in a fresh Y.Doc. */
export async function storedDoc(pool: Pool, projectId: string, docName: string): Promise<Y.Doc> {
  const doc = new Y.Doc();
  const result = await pool.query<{ data: Buffer }>(
    `SELECT data FROM yjs_snapshots WHERE project_id = $1 AND doc_name = $2
     UNION ALL SELECT data FROM yjs_updates WHERE project_id = $1 AND doc_name = $2`,
    [projectId, docName],
  );
  for (const row of result.rows) Y.applyUpdate(doc, new Uint8Array(row.data));
  return doc;
}
