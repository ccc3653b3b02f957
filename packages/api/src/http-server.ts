import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { collabLimitDefaults, createCollabServer } from '@clapper/collab';
import { createPool, createPrisma } from '@clapper/db';
import { type Logger, createLogger } from '@clapper/log';
import { type PubSub, createRedisPubSub } from '@clapper/pubsub';
import { CLOSE, pushLimits, recordIdPattern } from '@clapper/schema';
import { type SyncService, createSyncService } from '@clapper/sync-server';
import type { TRPCError } from '@trpc/server';
import { WebSocketServer } from 'ws';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { createAccessControl, requireRank } from './access-control.ts';
import { ApiError } from './api-error.ts';
import { type AuthLimits, createAuthService } from './auth-service.ts';
import { clientAddress } from './client-address.ts';
import { checkHealth } from './health.ts';
import { SocketLimits, connectionLimitDefaults, defaultMaxConnections } from './connection-limits.ts';
import { createLeanTRPCHandler } from './lean-trpc-handler.ts';
import { type Mailer, createLogMailer, createSmtpMailer } from './mailer.ts';
import { MemberCache } from './member-cache.ts';
import { createServerMetrics, registerCollabMetrics } from './metrics.ts';
import { createNudgeSocketServer } from './nudge-socket.ts';
import { createProjectEvents } from './project-events.ts';
import { createCommitNudges } from './commit-nudges.ts';
import { createProjectsService } from './projects-service.ts';
import { appRouter } from './router.ts';
import { createSocketTickets } from './socket-tickets.ts';
import { type ApiDeps, errorShapeOf } from './trpc.ts';

export interface ClapperServerOptions {
  databaseUrl: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Interface to listen on; all of them (IPv4 and IPv6) when unset. */
  host?: string;
  /** Overrides SMTP/log delivery of sign-in codes (tests capture codes this way). */
  mailer?: Mailer;
  smtpUrl?: string | undefined;
  /** Enables cross-instance fan-out of nudges (and Yjs updates, through collab). */
  redisUrl?: string | undefined;
  logger?: Logger;
  /** /sync heartbeat period; a socket silent for two periods is dropped. */
  heartbeatMs?: number;
  /** How long close() waits for in-flight requests before cutting them off. */
  shutdownTimeoutMs?: number;
  poolSize?: number;
  /** Overrides of the sign-in limits (code TTL, wrong tries, throttle); production values otherwise. */
  authLimits?: Partial<AuthLimits>;
  /**
   * How many proxies this server sits behind (TRUST_PROXY): with n > 0 the client address for
   * sign-in limits comes from `X-Forwarded-For` as the nth proxy wrote it; with 0 (default)
   * that header, which any client can write, is ignored.
   */
  trustProxy?: number;
  /** How long a confirmed membership is trusted without asking the database (R7); default 5 s, 0 = always ask. */
  memberCacheTtlMs?: number;
  /** How long a WebSocket ticket (auth.socketTicket) stays redeemable; default 30 s (A7). */
  socketTicketTtlMs?: number;
  /** Connection and size limits (protocol.md "Limits"); defaults for whatever is left out. */
  limits?: Partial<ServerLimits>;
}

export interface ServerLimits {
  /** Open /sync + /yjs sockets per user on this instance. */
  maxSocketsPerUser: number;
  /** Open /sync + /yjs sockets per client address on this instance. */
  maxSocketsPerAddress: number;
  /**
   * Client connections (HTTP and WebSocket) this instance takes; new ones beyond it are
   * shed (HTTP 503, WebSocket close 1013) and, 10% (at least 16) further, dropped at accept. Default:
   * from the process's descriptor limit (`defaultMaxConnections`).
   */
  maxConnections: number;
  /** Largest Yjs message (update) on /yjs. */
  yjsMaxUpdateBytes: number;
  /** Largest Yjs doc (stored bytes). */
  yjsMaxDocBytes: number;
}

export interface ClapperServer {
  readonly url: string;
  readonly port: number;
  /** The node HTTP server, for tests that wait on its events. */
  readonly http: Server;
  close(): Promise<void>;
}

const maxBodyBytes = pushLimits.maxBytes;

function routeOf(pathname: string): string {
  if (pathname === '/health' || pathname === '/metrics') return pathname;
  if (pathname.startsWith('/trpc/')) return '/trpc';
  return 'other';
}

function setCorsHeaders(req: IncomingMessage, res: ServerResponse): void {
  // Bearer tokens, not cookies, carry identity, so any origin may call.
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
  res.setHeader(
    'Access-Control-Allow-Headers',
    req.headers['access-control-request-headers'] ?? 'authorization, content-type, trpc-accept, x-trpc-source',
  );
  res.setHeader('Access-Control-Max-Age', '86400');
}

/** A URL a local client can dial: the wildcard addresses aren't destinations. */
function reachableUrl(host: string | undefined, port: number): string {
  if (!host || host === '0.0.0.0' || host === '::') return `http://127.0.0.1:${port}`;
  return host.includes(':') ? `http://[${host}]:${port}` : `http://${host}:${port}`;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * The Clapper server: tRPC at /trpc, /health, /metrics, the /sync nudge socket and the
 * /yjs collaboration socket, on one port. It owns its pool, Prisma client, sync
 * service, collab server and Redis connections, and close() releases them all.
 */
export async function createClapperServer(options: ClapperServerOptions): Promise<ClapperServer> {
  const logger = options.logger ?? createLogger();
  const poolSize = options.poolSize ?? 20;
  const limits: ServerLimits = {
    maxSocketsPerUser: connectionLimitDefaults.maxSocketsPerUser,
    maxSocketsPerAddress: connectionLimitDefaults.maxSocketsPerAddress,
    maxConnections: defaultMaxConnections(poolSize),
    yjsMaxUpdateBytes: collabLimitDefaults.maxMessageBytes,
    yjsMaxDocBytes: collabLimitDefaults.maxDocBytes,
    ...withoutUndefined(options.limits ?? {}),
  };
  const socketLimits = new SocketLimits(limits);
  // The same client address the sign-in limits count (TRUST_PROXY hops).
  const addressOf = (request: IncomingMessage) => clientAddress(request, options.trustProxy ?? 0);
  const pool = createPool(options.databaseUrl, poolSize, logger);
  const prisma = createPrisma(pool);
  const metrics = createServerMetrics();
  const mailer = options.mailer ?? (options.smtpUrl ? createSmtpMailer(options.smtpUrl) : createLogMailer(logger));
  // One publisher and one subscriber connection for all cross-instance traffic (nudges, access changes, Yjs).
  const pubsub: PubSub | null = options.redisUrl ? createRedisPubSub({ redisUrl: options.redisUrl, logger }) : null;
  const events = createProjectEvents({ pubsub, logger });
  const memberCache = new MemberCache({ ttlMs: options.memberCacheTtlMs ?? 5_000 });
  const auth = createAuthService({ prisma, pool, mailer, limits: options.authLimits, memberCache });
  const access = createAccessControl(pool);
  const projects = createProjectsService({
    prisma,
    access,
    onMemberChanged: (projectId, userId) => events.publishAccessChanged(projectId, userId),
  });
  const sync: SyncService = createSyncService({
    pool,
    logger,
    onCommitted: (projectId, timestamp, commit) => nudgeCommit(projectId, timestamp, commit),
    // The rows a commit wrote ride its nudge only to listeners: with nobody on this instance
    // listening and no other instance to tell, the push statement does not collect them.
    wantsChanges: (projectId) => pubsub !== null || events.listens(projectId),
  });
  const nudgeCommit = createCommitNudges({ events, crossInstance: pubsub !== null });
  const tickets = createSocketTickets({ pool, auth, ttlMs: options.socketTicketTtlMs });
  const deps: ApiDeps = { auth, projects, access, sync, tickets, metrics, logger };

  const collab = createCollabServer({
    pool,
    pubsub,
    logger,
    maxMessageBytes: limits.yjsMaxUpdateBytes,
    maxDocBytes: limits.yjsMaxDocBytes,
    admit(userId, request) {
      const admission = socketLimits.admit(userId, addressOf(request));
      return admission.ok
        ? { ok: true, release: () => admission.lease.release() }
        : { ok: false, code: CLOSE.TOO_MANY_CONNECTIONS, reason: admission.reason };
    },
    async authorize(ticket, projectId) {
      if (!recordIdPattern.test(projectId)) return { kind: 'forbidden' };
      // One query spends the ticket and reads session, user and role (the rank rule of sync.pull).
      try {
        const { user, role } = await tickets.redeem(ticket, projectId);
        return { kind: 'granted', userId: user.id, userName: user.name, role: requireRank(role, projectId, 'viewer') };
      } catch (error) {
        if (error instanceof ApiError && error.code === 'UNAUTHORIZED') return { kind: 'unauthorized' };
        if (error instanceof ApiError && error.code === 'FORBIDDEN') return { kind: 'forbidden' };
        throw error;
      }
    },
  });
  registerCollabMetrics(metrics, () => collab.metrics());
  const nudges = createNudgeSocketServer({
    tickets,
    access,
    events,
    metrics,
    logger,
    heartbeatMs: options.heartbeatMs,
    limits: socketLimits,
    addressOf,
    sync,
  });
  // A membership change on any instance (R7, R9): every instance drops that member's cached
  // grants, then looks up the committed role once and applies it to the member's open
  // sockets: /yjs closes (4000 to reconnect under a new role, 4003 when access is gone),
  // /sync subscriptions to a project they left end.
  events.onAccessChanged(({ projectId, userId }) => {
    auth.forgetMember(userId, projectId);
    access.roleOf(userId, projectId).then(
      (role) => {
        collab.accessChanged(projectId, userId, role);
        nudges.accessChanged(projectId, userId, role);
      },
      (error: unknown) => {
        // Can't tell what the member may do now: revoke, as the safe side; a member reconnects
        // (Yjs providers do by themselves; /sync clients subscribe again).
        logger.warn('access change: role lookup failed, revoking open sockets', {
          project: projectId,
          user: userId,
          error: (error as Error).message,
        });
        collab.accessChanged(projectId, userId, null);
        nudges.accessChanged(projectId, userId, null);
      },
    );
  });

  // Nudges published while Redis was away never arrived (S10): once it is back, this
  // instance tells its own subscribers each project's latest stamp, and a client pulls
  // when that is newer than its last pull.
  const stopRenudging = pubsub?.onResubscribed(() => void renudgeSubscribers());
  async function renudgeSubscribers(): Promise<void> {
    const projects = events.subscribedProjects();
    logger.info('re-nudging /sync subscribers after a pub/sub outage', { projects: projects.length });
    for (const projectId of projects) {
      try {
        const timestamp = await sync.clock(projectId);
        if (timestamp !== null && timestamp > 0) events.deliverLocally(projectId, timestamp);
      } catch (error) {
        logger.warn('re-nudge failed', { project: projectId, error: (error as Error).message });
      }
    }
  }

  const trustProxy = options.trustProxy ?? 0;
  const createContext = (req: IncomingMessage) => ({
    deps,
    authorization: req.headers.authorization,
    clientAddress: clientAddress(req, trustProxy),
  });
  function onTRPCError({
    error,
    path,
    type,
    input,
  }: {
    error: TRPCError;
    path: string | undefined;
    type: string;
    input: unknown;
  }) {
    if (error.code !== 'INTERNAL_SERVER_ERROR' && error.code !== 'SERVICE_UNAVAILABLE') return;
    const project =
      typeof input === 'object' && input !== null ? (input as { projectId?: unknown }).projectId : undefined;
    const cause = error.cause ?? error;
    if (error.code === 'SERVICE_UNAVAILABLE')
      logger.warn('service unavailable', { path, type, project, error: cause.message });
    else logger.error('unexpected error', { path, type, project, error: cause });
  }
  const standardTRPCHandler = createHTTPHandler({
    router: appRouter,
    basePath: '/trpc/',
    maxBodySize: maxBodyBytes,
    // One HTTP request may not fan out into unbounded work.
    maxBatchSize: 100,
    createContext: ({ req }) => createContext(req),
    onError: onTRPCError,
  });
  const trpcHandler = createLeanTRPCHandler({
    router: appRouter,
    procedures: { 'sync.push': 'mutation', 'sync.pull': 'query' },
    maxBodySize: maxBodyBytes,
    createContext,
    errorShape: errorShapeOf,
    onError: onTRPCError,
    fallback: standardTRPCHandler,
  });

  const inFlight = new Set<ServerResponse>();
  let shuttingDown = false;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const url = new URL(req.url ?? '/', 'http://localhost');
    const { pathname } = url;
    const route = routeOf(pathname);
    inFlight.add(res);
    metrics.httpInFlight.inc();
    res.on('close', () => {
      inFlight.delete(res);
      metrics.httpInFlight.dec();
      metrics.httpRequests.inc({ method: req.method ?? 'UNKNOWN', route, status: String(res.statusCode) });
      metrics.httpDuration.observe({ route }, (performance.now() - started) / 1000);
    });
    setCorsHeaders(req, res);
    if (shuttingDown) res.setHeader('Connection', 'close');
    if (shed.has(req.socket) && route !== '/health' && route !== '/metrics') {
      // A connection accepted past the budget: one clear answer, then it closes (its
      // descriptor comes back); connections opened earlier go on being served.
      res.setHeader('Connection', 'close');
      res.setHeader('Retry-After', '1');
      metrics.shed.inc({ path: 'http' });
      return sendJson(res, 503, { error: `server busy: over ${limits.maxConnections} connections; retry shortly` });
    }
    if (req.method === 'OPTIONS') {
      res.writeHead(204);
      res.end();
      return;
    }
    if (route === '/health') {
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: 'use GET' });
      const health = await checkHealth(pool);
      return sendJson(res, health.db === 'ok' ? 200 : 503, health);
    }
    if (route === '/metrics') {
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: 'use GET' });
      const text = await metrics.registry.metrics();
      res.writeHead(200, { 'Content-Type': metrics.registry.contentType, 'Content-Length': Buffer.byteLength(text) });
      res.end(text);
      return;
    }
    if (route === '/trpc') return trpcHandler(req, res, url);
    sendJson(res, 404, { error: `no such endpoint: ${pathname}` });
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      logger.error('request failed', { method: req.method, url: req.url, error });
      if (!res.headersSent) sendJson(res, 500, { error: 'internal server error' });
      else res.destroy();
    });
  });
  // Unparseable HTTP (not a tRPC-level error): answer 4xx instead of Node's silent drop.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    // The parser reports its error again for every later chunk of the same request. Answered
    // already: keep reading (and dropping) until the client closes, as destroying the socket
    // with its data unread resets the connection, and the client may lose the answer.
    if (socket.writableEnded) return;
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
    if (socket.writable) {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      setTimeout(() => socket.destroy(), 10_000).unref();
    } else socket.destroy();
  });
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => undefined);
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (shuttingDown) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n');
    } else if ((pathname === '/sync' || pathname.startsWith('/yjs/')) && shed.has(req.socket)) {
      metrics.shed.inc({ path: pathname === '/sync' ? 'sync' : 'yjs' });
      refuseWithClose(req, socket, head, CLOSE.TRY_AGAIN_LATER, 'server busy; try again later');
    } else if ((pathname === '/sync' || pathname.startsWith('/yjs/')) && socketLimits.addressFull(addressOf(req))) {
      // Before authentication: a flood from one address costs no database work.
      refuseWithClose(
        req,
        socket,
        head,
        CLOSE.TOO_MANY_CONNECTIONS,
        `too many open sockets from this address (at most ${limits.maxSocketsPerAddress})`,
      );
    } else if (pathname === '/sync') {
      nudges.handleUpgrade(req, socket, head);
    } else if (pathname.startsWith('/yjs/')) {
      metrics.wsConnectionsTotal.inc({ path: 'yjs' });
      collab.handleUpgrade(req, socket, head);
    } else {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
    }
  });

  // Connection budget: every client connection (HTTP keep-alive or WebSocket) holds a
  // descriptor. Past `maxConnections` a new connection is marked to be shed; past 110%
  // (at least 16 more) Node closes it at accept, so descriptors for the pool, Redis and
  // files remain.
  let openConnections = 0;
  const shed = new WeakSet<Socket>();
  server.maxConnections = limits.maxConnections + Math.max(16, Math.ceil(limits.maxConnections * 0.1));
  server.on('connection', (socket: Socket) => {
    openConnections += 1;
    if (openConnections > limits.maxConnections) shed.add(socket);
    socket.once('close', () => {
      openConnections -= 1;
    });
  });
  const refuser = new WebSocketServer({ noServer: true, maxPayload: 1024 });
  function refuseWithClose(req: IncomingMessage, socket: Duplex, head: Buffer, code: number, reason: string): void {
    refuser.handleUpgrade(req, socket, head, (ws) => {
      ws.close(code, reason.slice(0, 123));
      // Don't hold a refused socket for the whole closing handshake.
      setTimeout(() => ws.terminate(), 1_000).unref();
    });
  }

  async function release(): Promise<void> {
    stopRenudging?.();
    await sync.close();
    await events.close();
    await pubsub?.close();
    await mailer.close?.();
    await prisma.$disconnect().catch(() => undefined);
    await pool.end().catch(() => undefined);
  }

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port: options.port ?? 0, host: options.host }, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    // Port taken, say: nothing may linger (pool, Redis, timers) in a process that goes on.
    await Promise.all([nudges.close(), collab.close()]);
    await release();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;

  let closing: Promise<void> | undefined;
  async function shutdown(): Promise<void> {
    shuttingDown = true;
    const timeoutMs = options.shutdownTimeoutMs ?? 10_000;
    // Stop accepting; idle keep-alive connections close now, busy ones after their response.
    const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    await Promise.all([nudges.close(), collab.close()]);
    refuser.close();
    let timer: NodeJS.Timeout | undefined;
    const drained = Promise.all([...inFlight].map((res) => new Promise((resolve) => res.once('close', resolve))));
    await Promise.race([drained, new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
    server.closeAllConnections();
    await serverClosed;
    await release();
  }

  return {
    url: reachableUrl(options.host, port),
    port,
    http: server,
    close() {
      closing ??= shutdown();
      return closing;
    },
  };
}
