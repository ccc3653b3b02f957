import {
  CLOSE,
  type NudgeClientMessage,
  type NudgeServerMessage,
  type PushRequest,
  type PushResponse,
  type SyncChanges,
  requestSocketTicket,
  socketTicketParam,
  syncSocketLimits,
} from '@clapper/schema';
import { type BackoffOptions, backoffDelay, defaultBackoff } from './backoff.ts';
import { SyncClientError, syncErrorCodeOf } from './sync-client-error.ts';
import { type Timers, realTimers } from './timers.ts';

export interface MessageLike {
  readonly data: unknown;
}

/** What the socket needs from a WebSocket; the browser's and `ws`'s both fit. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open' | 'close' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: MessageLike) => void): void;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

export interface NudgeSocketOptions {
  /** Server origin (`http://host:port`); the socket goes to `/sync` on it. */
  serverUrl: string;
  /** The session token; exchanged for a fresh single-use ticket before every connection. */
  getToken: () => string | null | Promise<string | null>;
  /** Overrides fetch for the ticket request (tests). */
  fetch?: typeof globalThis.fetch;
  /** Defaults to `globalThis.WebSocket`; in Node pass `WebSocket` from 'ws'. */
  webSocket?: WebSocketConstructor;
  backoff?: Partial<BackoffOptions>;
  timers?: Timers;
  random?: () => number;
  /** How long a push over the socket waits for its answer (default `pushAnswerTimeoutMs`). */
  pushAnswerTimeoutMs?: number;
}

/**
 * A push over the socket unanswered this long fails as a network failure and the socket is
 * dropped (C23): the socket may have died without closing (a half-open TCP connection).
 * The server answers once committed; a socket push is under 16 KB (commits of ~14 ms,
 * p99 under 1 s on a loaded instance), and a server shutting down gives requests in
 * flight 10 s to finish (http-server shutdownTimeoutMs): an answer later than that is not
 * coming. HTTP pushes have no timeout of their own; the retry is safe either way (U4).
 */
export const pushAnswerTimeoutMs = 10_000;

export interface NudgeSocketState {
  /** The socket is open (subscriptions are being, or have been, sent). */
  connected: boolean;
  /** The browser believes it has a network (always true outside a browser). */
  online: boolean;
  /** Consecutive failed connection attempts. */
  reconnectAttempt: number;
}

export type NudgeListener = (message: NudgeServerMessage) => void;

const OPEN = 1;

interface PendingPush {
  resolve(response: PushResponse): void;
  reject(error: SyncClientError): void;
  timer: unknown;
}

type PushAnswer =
  | Extract<NudgeServerMessage, { type: 'pushed' }>
  | (Extract<NudgeServerMessage, { type: 'error' }> & { requestId: string });

function isPushAnswer(message: NudgeServerMessage): message is PushAnswer {
  return message.type === 'pushed' || (message.type === 'error' && typeof message.requestId === 'string');
}

function byteLength(text: string): number {
  // A UTF-16 unit is at most 3 UTF-8 bytes: most messages need no encoding to be measured.
  return text.length * 3 <= syncSocketLimits.maxMessageBytes ? text.length : new TextEncoder().encode(text).length;
}

function parseServerMessage(data: unknown): NudgeServerMessage | null {
  const text = typeof data === 'string' ? data : data instanceof Uint8Array ? new TextDecoder().decode(data) : null;
  if (text === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || typeof (value as { type?: unknown }).type !== 'string')
    return null;
  const message = value as NudgeServerMessage;
  if (message.type === 'changed') {
    if (typeof message.projectId !== 'string' || typeof message.timestamp !== 'number') return null;
    // Changes we can't trust are dropped: the bare nudge still makes the device pull.
    if (typeof message.schemaVersion !== 'number' || !isPulledChanges(message.since, message.changes)) {
      return { type: 'changed', projectId: message.projectId, timestamp: message.timestamp };
    }
  }
  return message;
}

function isPulledChanges(since: unknown, changes: unknown): changes is SyncChanges {
  if (typeof since !== 'number' || typeof changes !== 'object' || changes === null) return false;
  return Object.values(changes).every(
    (table: { created?: unknown; updated?: unknown; deleted?: unknown }) =>
      typeof table === 'object' &&
      table !== null &&
      Array.isArray(table.created) &&
      Array.isArray(table.updated) &&
      Array.isArray(table.deleted),
  );
}

function socketUrl(serverUrl: string, ticket: string): string {
  const url = new URL('/sync', serverUrl.replace(/^http/, 'ws'));
  url.searchParams.set(socketTicketParam, ticket);
  return url.toString();
}

function browserOnline(): boolean {
  const nav = (globalThis as { navigator?: { onLine?: boolean } }).navigator;
  return typeof nav?.onLine === 'boolean' ? nav.onLine : true;
}

/**
 * One `/sync` WebSocket per server, shared by every project's engine. It subscribes
 * each project with listeners, re-subscribes after every reconnect (the server forgets
 * subscriptions with the connection), and reconnects with capped exponential backoff
 * while anyone listens. Closed when the last listener leaves.
 */
export class NudgeSocket {
  private readonly options: NudgeSocketOptions;
  private readonly backoff: BackoffOptions;
  private readonly timers: Timers;
  private readonly listeners = new Map<string, Set<NudgeListener>>();
  private readonly stateListeners = new Set<() => void>();
  private socket: WebSocketLike | null = null;
  private connecting = false;
  private reconnectTimer: unknown = null;
  private closed = false;
  private state: NudgeSocketState;
  private removeWindowListeners: (() => void) | null = null;
  /** The server said, on the current connection, that it takes pushes (`subscribed` with `push: true`). */
  private takesPushes = false;
  /** Pushes sent on the current connection and not yet answered, by requestId. */
  private readonly pendingPushes = new Map<string, PendingPush>();
  private nextRequestId = 0;

  constructor(options: NudgeSocketOptions) {
    this.options = options;
    this.backoff = { ...defaultBackoff, ...options.backoff };
    this.timers = options.timers ?? realTimers;
    this.state = { connected: false, online: browserOnline(), reconnectAttempt: 0 };
    this.watchBrowserNetwork();
  }

  getState(): NudgeSocketState {
    return this.state;
  }

  onStateChange(listener: () => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  subscribe(projectId: string, listener: NudgeListener): () => void {
    if (this.closed) throw new Error('NudgeSocket is closed');
    let set = this.listeners.get(projectId);
    if (!set) {
      set = new Set();
      this.listeners.set(projectId, set);
      this.send({ type: 'subscribe', projectId });
    }
    set.add(listener);
    this.ensureConnected();
    return () => {
      const current = this.listeners.get(projectId);
      if (!current?.delete(listener) || current.size > 0) return;
      this.listeners.delete(projectId);
      this.send({ type: 'unsubscribe', projectId });
      if (this.listeners.size === 0) this.disconnect();
    };
  }

  /**
   * Sends a push over the socket (C23) and resolves with its answer once the server
   * committed it; null when it can't go this way (the socket is not open, the server did
   * not say it takes pushes, or the message would pass the socket's size limit): then the
   * caller sends it over HTTP. A connection that ends before the answer fails it as a
   * network failure, which the engine retries under the same pushId (C10).
   */
  push(request: PushRequest): Promise<PushResponse> | null {
    const socket = this.socket;
    if (!socket || socket.readyState !== OPEN || !this.takesPushes) return null;
    // The browser says it has no network: a socket that looks open may be dead (and
    // Playwright's offline emulation keeps it open); HTTP fails fast offline.
    if (!browserOnline()) return null;
    this.nextRequestId += 1;
    const requestId = String(this.nextRequestId);
    const text = JSON.stringify({ type: 'push', requestId, push: request } satisfies NudgeClientMessage);
    if (byteLength(text) > syncSocketLimits.maxMessageBytes) return null;
    return new Promise<PushResponse>((resolve, reject) => {
      const timeoutMs = this.options.pushAnswerTimeoutMs ?? pushAnswerTimeoutMs;
      const timer = this.timers.setTimeout(() => {
        if (this.socket === socket && this.pendingPushes.has(requestId)) this.dropSocket(socket);
      }, timeoutMs);
      this.pendingPushes.set(requestId, { resolve, reject, timer });
      try {
        socket.send(text);
      } catch (error) {
        this.pendingPushes.delete(requestId);
        this.timers.clearTimeout(timer);
        reject(new SyncClientError('NETWORK', 'the /sync socket could not send the push', { cause: error }));
      }
    });
  }

  /** Reconnect now instead of waiting out the backoff (e.g. the browser came online). */
  reconnectNow(): void {
    if (this.closed || this.listeners.size === 0 || this.socket || this.connecting) return;
    this.clearReconnect();
    void this.connect();
  }

  close(): void {
    this.closed = true;
    this.listeners.clear();
    this.disconnect();
    this.removeWindowListeners?.();
    this.removeWindowListeners = null;
  }

  private ensureConnected(): void {
    if (this.socket || this.connecting || this.reconnectTimer !== null) return;
    void this.connect();
  }

  private async connect(): Promise<void> {
    this.connecting = true;
    // The token stays in headers: the URL carries a single-use ticket, fetched per attempt.
    let ticket: string | null;
    try {
      const token = await this.options.getToken();
      ticket = token
        ? await requestSocketTicket({
            serverUrl: this.options.serverUrl,
            token,
            ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
          })
        : null;
    } catch {
      ticket = null; // offline, server down, session gone: a failed attempt, backed off
    }
    this.connecting = false;
    if (this.closed || this.listeners.size === 0) return;
    const Constructor = this.options.webSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (!ticket || !Constructor) {
      this.scheduleReconnect();
      return;
    }
    let socket: WebSocketLike;
    try {
      socket = new Constructor(socketUrl(this.options.serverUrl, ticket));
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    let finished = false;
    const onGone = () => {
      if (finished) return;
      finished = true;
      // A socket dropped or disconnected on purpose was handled then; a new one may be open.
      if (this.socket === socket) this.lostSocket();
    };
    socket.addEventListener('open', () => {
      if (this.socket !== socket) return;
      this.takesPushes = false;
      this.setState({ connected: true });
      for (const projectId of this.listeners.keys()) this.send({ type: 'subscribe', projectId });
    });
    socket.addEventListener('message', (event) => {
      const message = parseServerMessage(event.data);
      if (!message) return;
      // A server that talks back is healthy; an accept-then-close loop never gets here.
      if (this.state.reconnectAttempt !== 0) this.setState({ reconnectAttempt: 0 });
      // A push's answer goes to the push (one of a closed connection was failed already).
      if (isPushAnswer(message)) {
        if (this.socket === socket) this.settlePush(message);
        return;
      }
      if (this.socket === socket && message.type === 'subscribed' && message.push === true) this.takesPushes = true;
      this.dispatch(message);
    });
    socket.addEventListener('close', onGone);
    socket.addEventListener('error', () => {
      onGone();
      try {
        socket.close();
      } catch {
        // already closing
      }
    });
  }

  /** Settles the push a `pushed` or an `error` with its requestId answers. */
  private settlePush(message: PushAnswer): void {
    const pending = this.pendingPushes.get(message.requestId);
    if (!pending) return;
    this.pendingPushes.delete(message.requestId);
    this.timers.clearTimeout(pending.timer);
    if (message.type === 'pushed') {
      if (typeof message.timestamp === 'number' && Number.isFinite(message.timestamp))
        pending.resolve({ timestamp: message.timestamp });
      else pending.reject(new SyncClientError('SERVER', 'a push was answered without a numeric timestamp'));
    } else {
      pending.reject(
        new SyncClientError(syncErrorCodeOf(message.code), message.message ?? `push refused: ${message.code}`),
      );
    }
  }

  /** The connection ended: its unanswered pushes may or may not have been applied. */
  private failPendingPushes(reason = 'the /sync socket closed before the push was answered'): void {
    this.takesPushes = false;
    const pending = [...this.pendingPushes.values()];
    this.pendingPushes.clear();
    for (const push of pending) {
      this.timers.clearTimeout(push.timer);
      push.reject(new SyncClientError('NETWORK', reason));
    }
  }

  /**
   * A push went unanswered: the socket may be dead without having closed. Its pushes fail
   * as network failures (retried under their pushIds, C10), it is closed without waiting
   * for its close event (which a dead connection may never send), and a new one is opened
   * after the usual backoff; a late answer on the old one is ignored.
   */
  private dropSocket(socket: WebSocketLike): void {
    this.lostSocket('the /sync socket did not answer the push in time');
    try {
      socket.close();
    } catch {
      // already closing
    }
  }

  /** The current socket is gone (closed, or dropped): its pushes fail, and a new one follows while anyone listens. */
  private lostSocket(reason?: string): void {
    this.socket = null;
    this.failPendingPushes(reason);
    this.setState({ connected: false });
    if (!this.closed && this.listeners.size > 0) this.scheduleReconnect();
  }

  private dispatch(message: NudgeServerMessage): void {
    const projectId = 'projectId' in message ? message.projectId : undefined;
    const targets = projectId !== undefined ? [this.listeners.get(projectId)] : [...this.listeners.values()];
    for (const set of targets) {
      for (const listener of [...(set ?? [])]) listener(message);
    }
  }

  private send(message: Exclude<NudgeClientMessage, { type: 'push' }>): void {
    if (this.socket && this.socket.readyState === OPEN) this.socket.send(JSON.stringify(message));
  }

  private scheduleReconnect(): void {
    if (this.reconnectTimer !== null) return;
    const attempt = this.state.reconnectAttempt + 1;
    this.setState({ reconnectAttempt: attempt });
    const delay = backoffDelay(attempt, this.backoff, this.options.random);
    this.reconnectTimer = this.timers.setTimeout(() => {
      this.reconnectTimer = null;
      if (!this.closed && this.listeners.size > 0) void this.connect();
    }, delay);
  }

  private clearReconnect(): void {
    if (this.reconnectTimer !== null) this.timers.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
  }

  private disconnect(): void {
    this.clearReconnect();
    const socket = this.socket;
    this.socket = null;
    this.failPendingPushes();
    if (socket) {
      try {
        socket.close(CLOSE.NORMAL, 'no subscriptions');
      } catch {
        // already closed
      }
    }
    this.setState({ connected: false, reconnectAttempt: 0 });
  }

  private watchBrowserNetwork(): void {
    const target = globalThis as {
      window?: unknown;
      addEventListener?: (type: string, fn: () => void) => void;
      removeEventListener?: (type: string, fn: () => void) => void;
    };
    if (typeof target.window === 'undefined' || typeof target.addEventListener !== 'function') return;
    const onOnline = () => {
      this.setState({ online: true });
      this.reconnectNow();
    };
    const onOffline = () => this.setState({ online: false });
    target.addEventListener('online', onOnline);
    target.addEventListener('offline', onOffline);
    this.removeWindowListeners = () => {
      target.removeEventListener?.('online', onOnline);
      target.removeEventListener?.('offline', onOffline);
    };
  }

  private setState(patch: Partial<NudgeSocketState>): void {
    const next = { ...this.state, ...patch };
    if (
      next.connected === this.state.connected &&
      next.online === this.state.online &&
      next.reconnectAttempt === this.state.reconnectAttempt
    ) {
      return;
    }
    this.state = next;
    for (const listener of [...this.stateListeners]) listener();
  }
}
