import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { CLOSE, type NudgeServerMessage, type Role, recordIdPattern, syncSocketLimits } from '@clapper/schema';
import { type SyncService, parsePushRequest, projectIdOf } from '@clapper/sync-server';
import { TRPCError } from '@trpc/server';
import { type WebSocket, WebSocketServer } from 'ws';
import { z } from 'zod';
import { toTRPCError } from './error-mapping.ts';
import { loggedPush } from './logged-push.ts';
import type { AccessControl } from './access-control.ts';
import { ApiError } from './api-error.ts';
import type { User } from './auth-service.ts';
import type { Logger } from '@clapper/log';
import type { ServerMetrics } from './metrics.ts';
import type { ProjectChanged, ProjectEvents } from './project-events.ts';
import type { SocketTickets } from './socket-tickets.ts';
import type { SocketLimits } from './connection-limits.ts';

export const nudgeLimits = {
  maxMessageBytes: syncSocketLimits.maxMessageBytes,
  maxSubscriptionsPerSocket: 200,
  /**
   * Pushes one socket may have in flight (S12). The app sends one at a time; without a cap a
   * single socket could queue any number of commits on the pool (HTTP is bounded by connections).
   */
  maxPushesInFlightPerSocket: 4,
} as const;

/** How long a socket trusts a member's role for its pushes (R7's window for HTTP). */
const pushRoleTtlMs = 5_000;

const clientMessage = z.discriminatedUnion('type', [
  z.object({
    type: z.enum(['subscribe', 'unsubscribe']),
    projectId: z.string().regex(recordIdPattern, 'must be a project id'),
  }),
  // The push itself is checked as `sync.push`'s input is (parsePushRequest).
  z.object({ type: z.literal('push'), requestId: z.string().min(1).max(64), push: z.unknown() }),
]);

export interface NudgeSocketServer {
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  /**
   * A member's access to a project changed (on any instance; `role` is the new one, null
   * when they are no longer a member or the project was deleted): their subscriptions to
   * it end at once, answered `{"type":"error","code":"FORBIDDEN","projectId"}` (R9).
   */
  accessChanged(projectId: string, userId: string, role: Role | null): void;
  readonly connections: number;
  close(): Promise<void>;
}

export interface NudgeSocketOptions {
  /** Upgrades carry `?ticket=` (auth.socketTicket), never a session token. */
  tickets: SocketTickets;
  access: AccessControl;
  events: ProjectEvents;
  metrics: ServerMetrics;
  logger: Logger;
  /** Per-user and per-address caps (none when absent). */
  limits?: SocketLimits;
  /** The client's address for the per-address cap. */
  addressOf?: (request: IncomingMessage) => string;
  /** Ping every so often; a socket that missed the previous pong is dropped. */
  heartbeatMs?: number;
  /** Takes pushes on the socket (S12) when given. */
  sync?: SyncService;
}

function refuse(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/**
 * `/sync?ticket=…`: clients subscribe to projects they belong to and get
 * `{"type":"changed"}` after every committed push there, whichever instance took it
 * (with the commit's changes when they are small: `commit-nudges.ts`).
 */
export function createNudgeSocketServer(options: NudgeSocketOptions): NudgeSocketServer {
  const {
    tickets,
    access,
    events,
    metrics,
    heartbeatMs = 30_000,
    limits,
    addressOf = (r: IncomingMessage) => r.socket.remoteAddress ?? 'unknown',
    sync,
  } = options;
  const logger = options.logger.child({ component: 'sync-socket' });
  const wss = new WebSocketServer({ noServer: true, maxPayload: nudgeLimits.maxMessageBytes });
  const alive = new WeakMap<WebSocket, boolean>();
  /** Each user's open sockets, so an access change reaches them (R9); `role` null: no longer a member. */
  const socketsOfUser = new Map<string, Set<(projectId: string, role: Role | null) => void>>();
  let closing = false;

  function send(ws: WebSocket, message: NudgeServerMessage): void {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  }

  /**
   * One message per event, whatever the number of sockets it goes to: serialized and
   * UTF-8 encoded once (a string would be measured and encoded again for every socket).
   */
  const changedMessages = new WeakMap<ProjectChanged, Buffer>();
  function changedMessage(event: ProjectChanged): Buffer {
    let message = changedMessages.get(event);
    if (message === undefined) {
      const { projectId, timestamp, pulled } = event;
      const text = pulled
        ? `{"type":"changed","projectId":${JSON.stringify(projectId)},"timestamp":${timestamp},"since":${pulled.since},"schemaVersion":${pulled.schemaVersion},"changes":${pulled.changesJson}}`
        : JSON.stringify({ type: 'changed', projectId, timestamp } satisfies NudgeServerMessage);
      message = Buffer.from(text);
      changedMessages.set(event, message);
    }
    return message;
  }

  function onConnection(ws: WebSocket, user: User, boundProjectId: string | null): void {
    const log = logger.child({ user: user.id });
    metrics.wsConnections.inc({ path: 'sync' });
    metrics.wsConnectionsTotal.inc({ path: 'sync' });
    alive.set(ws, true);
    ws.on('pong', () => alive.set(ws, true));
    // Each socket on its own beat, counted from its connection (S6): one timer walking every
    // socket wrote a ping to each of them in one task, a stall every period that grew with
    // the sockets (500: 25-40 ms at load 15, profiled in the devices benchmark).
    const beat = setInterval(() => {
      if (alive.get(ws) === false) {
        ws.terminate();
        return;
      }
      alive.set(ws, false);
      ws.ping();
    }, heartbeatMs);
    beat.unref();
    const subscriptions = new Map<string, Promise<() => void>>();

    async function subscribe(projectId: string): Promise<void> {
      let pending = subscriptions.get(projectId);
      if (!pending) {
        if (subscriptions.size >= nudgeLimits.maxSubscriptionsPerSocket) {
          send(ws, {
            type: 'error',
            code: 'BAD_REQUEST',
            projectId,
            message: `at most ${nudgeLimits.maxSubscriptionsPerSocket} subscriptions per socket`,
          });
          return;
        }
        if (boundProjectId !== null && projectId !== boundProjectId) {
          send(ws, {
            type: 'error',
            code: 'FORBIDDEN',
            projectId,
            message: `this socket's ticket was issued for project ${boundProjectId} only`,
          });
          return;
        }
        // One listener per project per socket, however often the client asks.
        const created = access.requireRole(user.id, projectId, 'viewer').then(() =>
          // Only members get here (and R9 ends the subscription of one who leaves), so a
          // commit's changes reach only those who could pull them.
          events.subscribe(projectId, (event) => {
            if (ws.readyState !== ws.OPEN) return;
            // A text frame (binary: false) from the shared bytes; ws does not copy them.
            ws.send(changedMessage(event), { binary: false });
            metrics.nudgesSent.inc();
          }),
        );
        pending = created;
        subscriptions.set(projectId, created);
        created.catch(() => {
          if (subscriptions.get(projectId) === created) subscriptions.delete(projectId);
        });
      }
      try {
        await pending;
      } catch (error) {
        if (error instanceof ApiError && error.code === 'FORBIDDEN') {
          send(ws, { type: 'error', code: 'FORBIDDEN', projectId, message: error.message });
          return;
        }
        throw error;
      }
      // Revoked while the check was in flight: the client already heard FORBIDDEN.
      if (subscriptions.get(projectId) !== pending) return;
      send(ws, sync ? { type: 'subscribed', projectId, push: true } : { type: 'subscribed', projectId });
    }

    async function unsubscribe(projectId: string): Promise<void> {
      const pending = subscriptions.get(projectId);
      subscriptions.delete(projectId);
      const stop = await pending?.catch(() => undefined);
      stop?.();
      send(ws, { type: 'unsubscribed', projectId });
    }

    /**
     * Roles this socket's pushes were checked against, each trusted for `pushRoleTtlMs`
     * and forgotten at once when the member's access changes (R7, R9).
     */
    const pushRoles = new Map<string, { role: Promise<Role>; at: number }>();
    function pushRole(projectId: string): Promise<Role> {
      const known = pushRoles.get(projectId);
      if (known && performance.now() - known.at < pushRoleTtlMs) return known.role;
      const role = access.requireRole(user.id, projectId, 'editor');
      const entry = { role, at: performance.now() };
      pushRoles.set(projectId, entry);
      role.catch(() => {
        if (pushRoles.get(projectId) === entry) pushRoles.delete(projectId);
      });
      return role;
    }

    /**
     * A push over the socket (S12): checked as `sync.push` is (the member's role, then the
     * input), applied by the same service, answered `pushed` once committed or `error`,
     * both with the client's `requestId`. Its nudge goes out before the answer, as over HTTP.
     */
    let pushesInFlight = 0;
    async function push(requestId: string, raw: unknown): Promise<void> {
      if (pushesInFlight >= nudgeLimits.maxPushesInFlightPerSocket) {
        send(ws, {
          type: 'error',
          requestId,
          code: 'TOO_MANY_REQUESTS',
          message: `at most ${nudgeLimits.maxPushesInFlightPerSocket} pushes in flight on one /sync socket: wait for an answer`,
        });
        return;
      }
      pushesInFlight += 1;
      try {
        if (!sync) throw new ApiError('BAD_REQUEST', 'this server takes pushes over HTTP only (sync.push)');
        const projectId = projectIdOf(raw);
        if (boundProjectId !== null && projectId !== boundProjectId)
          throw new ApiError('FORBIDDEN', `this socket's ticket was issued for project ${boundProjectId} only`);
        await pushRole(projectId);
        const { timestamp } = await loggedPush(
          { sync, metrics, logger },
          user.id,
          parsePushRequest(raw, projectId),
          'socket',
        );
        send(ws, { type: 'pushed', requestId, timestamp });
      } catch (error) {
        // The codes and messages sync.push answers over HTTP (error-mapping.ts).
        const mapped = toTRPCError(new TRPCError({ code: 'INTERNAL_SERVER_ERROR', cause: error }));
        if (!mapped) log.error('push over the socket failed', { error });
        send(ws, {
          type: 'error',
          requestId,
          code: mapped?.code ?? 'INTERNAL_SERVER_ERROR',
          message: mapped?.message ?? 'internal server error',
        });
      } finally {
        pushesInFlight -= 1;
      }
    }

    /** The member's access changed: a push checks the role again; a subscription ends if they are gone. */
    function accessChangedHere(projectId: string, role: Role | null): void {
      pushRoles.delete(projectId);
      if (role === null) revoke(projectId, `you are no longer a member of project ${projectId}`);
    }

    /** The subscription ends without the client asking: access was revoked. */
    function revoke(projectId: string, message: string): void {
      const pending = subscriptions.get(projectId);
      if (!pending) return;
      subscriptions.delete(projectId);
      pending.then(
        (stop) => stop(),
        () => undefined,
      );
      send(ws, { type: 'error', code: 'FORBIDDEN', projectId, message });
    }
    let mine = socketsOfUser.get(user.id);
    if (!mine) {
      mine = new Set();
      socketsOfUser.set(user.id, mine);
    }
    mine.add(accessChangedHere);

    ws.on('message', (data, isBinary) => {
      let message: z.infer<typeof clientMessage>;
      try {
        const parsed = clientMessage.safeParse(JSON.parse(isBinary ? '' : data.toString()));
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          send(ws, {
            type: 'error',
            code: 'BAD_REQUEST',
            message: `expected {"type":"subscribe"|"unsubscribe","projectId":…} or {"type":"push","requestId":…,"push":…}: ${issue ? `${issue.path.join('.') || 'message'} ${issue.message}` : 'invalid message'}`,
          });
          return;
        }
        message = parsed.data;
      } catch {
        send(ws, { type: 'error', code: 'BAD_REQUEST', message: 'messages must be JSON text' });
        return;
      }
      if (message.type === 'push') {
        void push(message.requestId, message.push);
        return;
      }
      const { projectId } = message;
      const work = message.type === 'subscribe' ? subscribe(projectId) : unsubscribe(projectId);
      work.catch((error: unknown) => {
        log.error('nudge socket message failed', { project: projectId, error });
        send(ws, { type: 'error', code: 'INTERNAL_SERVER_ERROR', projectId, message: 'try again' });
      });
    });

    ws.on('error', (error) => log.warn('nudge socket error', { error: error.message }));
    ws.on('close', () => {
      clearInterval(beat);
      metrics.wsConnections.dec({ path: 'sync' });
      const set = socketsOfUser.get(user.id);
      set?.delete(accessChangedHere);
      if (set?.size === 0) socketsOfUser.delete(user.id);
      for (const pending of subscriptions.values())
        pending.then(
          (stop) => stop(),
          () => undefined,
        );
      subscriptions.clear();
    });
  }

  return {
    handleUpgrade(request, socket, head) {
      const ticket = new URL(request.url ?? '/', 'http://localhost').searchParams.get('ticket');
      tickets.redeem(ticket, null).then(
        ({ user, projectId }) => {
          if (closing) return refuse(socket, 503, 'Service Unavailable');
          const admission = limits?.admit(user.id, addressOf(request)) ?? {
            ok: true as const,
            lease: { release: () => undefined },
          };
          if (!admission.ok) {
            // Accepted, then closed: a browser can read a close code, not an HTTP status.
            wss.handleUpgrade(request, socket, head, (ws) => {
              ws.close(CLOSE.TOO_MANY_CONNECTIONS, admission.reason.slice(0, 123));
              setTimeout(() => ws.terminate(), 1_000).unref();
            });
            return;
          }
          // Released when the connection ends, however it ends (even before the handshake completes).
          socket.once('close', () => admission.lease.release());
          if (socket.destroyed) return admission.lease.release();
          wss.handleUpgrade(request, socket, head, (ws) => onConnection(ws, user, projectId));
        },
        (error: unknown) => {
          if (error instanceof ApiError && error.code === 'UNAUTHORIZED') refuse(socket, 401, 'Unauthorized');
          else {
            logger.error('nudge socket upgrade failed', { error });
            refuse(socket, 503, 'Service Unavailable');
          }
        },
      );
    },
    accessChanged(projectId, userId, role) {
      // Any member may subscribe: a new role ends nothing, but pushes check it again.
      for (const changed of socketsOfUser.get(userId) ?? []) changed(projectId, role);
    },
    get connections() {
      return wss.clients.size;
    },
    async close() {
      closing = true;
      const closed = [...wss.clients].map((ws) => new Promise<void>((resolve) => ws.once('close', () => resolve())));
      for (const ws of wss.clients) ws.close(CLOSE.GOING_AWAY, 'server shutting down');
      // Clients that don't answer the close handshake promptly are cut off.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.all(closed), new Promise((resolve) => (timer = setTimeout(resolve, 2_000)))]);
      clearTimeout(timer);
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}
