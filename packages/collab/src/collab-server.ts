import { type IncomingMessage, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Pool } from '@clapper/db';
import type { Logger } from '@clapper/log';
import type { PubSub } from '@clapper/pubsub';
import { CLOSE, type Role } from '@clapper/schema';
import { type WebSocket, WebSocketServer } from 'ws';
import { CollabError } from './collab-error.ts';
import { type DocName, parseDocName } from './doc-name.ts';
import { DocStore } from './doc-store.ts';
import { createSnapshotMerger } from './snapshot-merger.ts';
import { createDocFanout } from './doc-fanout.ts';
import { type Connection, SharedDoc, remoteOrigin } from './shared-doc.ts';
import { decodeClientMessage } from './sync-messages.ts';
import * as awarenessProtocol from 'y-protocols/awareness';

export type YjsAccess =
  { kind: 'granted'; userId: string; userName: string; role: Role } | { kind: 'unauthorized' } | { kind: 'forbidden' };

export interface CollabServerOptions {
  pool: Pool;
  /**
   * The single-use ticket from the `?ticket=` query string (null when absent) -> access to
   * one project. Spending it is the caller's business (api redeems it in PostgreSQL).
   */
  authorize(ticket: string | null, projectId: string): Promise<YjsAccess>;
  /** Cross-instance fan-out of Yjs updates and awareness when set (the server's shared pub/sub). */
  pubsub?: PubSub | null;
  /** Lines carry `component: 'collab'` and the doc's name. */
  logger: Logger;
  /** Compact a loaded doc's log once it holds this many rows (default 2,000) and half of the snapshot's bytes... */
  compactAfterRows?: number;
  /** ...or, regardless, this many bytes (default 1 MiB) or 5× the rows. */
  compactAfterBytes?: number;
  /**
   * Compactions this instance runs at once (default 1); the others wait their turn before
   * taking a pooled connection. Each one holds a connection (and its snapshot's row lock)
   * for its whole transaction, merge included, and the merges run one at a time on one
   * worker: docs typed together come due together, and running them all at once held up
   * to the whole pool while they queued for the worker, so every push, append and ticket
   * of the instance waited for a connection (Y11).
   */
  compactionConcurrency?: number;
  /**
   * Largest accepted WebSocket message, i.e. Yjs update (default 2 MiB): a bigger frame is
   * refused by the socket from its header (close 1009), before it is read or stored.
   */
  maxMessageBytes?: number;
  /**
   * Largest doc, counted as its stored bytes (snapshot + log + queued); default 8 MiB. An
   * update that would pass it is not stored and its connection closes with 4413.
   */
  maxDocBytes?: number;
  /**
   * Called once a connection is authorized, before the socket is accepted: a refusal
   * closes the accepted socket with its code and reason (a browser can read a close code,
   * not an HTTP status); `release` runs when an admitted socket closes.
   */
  admit?(
    userId: string,
    request: IncomingMessage,
  ): { ok: true; release(): void } | { ok: false; code: number; reason: string };
}

export const collabLimitDefaults = {
  maxMessageBytes: 2 * 1024 * 1024,
  maxDocBytes: 8 * 1024 * 1024,
} as const;

export interface CollabMetrics {
  docsLoaded: number;
  /** Encoded bytes the loaded docs hold in memory (Y17). */
  docBytes: number;
  connections: number;
  rowsWritten: number;
  bytesWritten: number;
  compactions: number;
  /** Whether the snapshot merger's worker runs (it stops when no compaction came for a while), and how often it started. */
  merger: { running: boolean; workerStarts: number; merges: number };
  /** Awareness clients the loaded docs keep a clock or state for (should follow the connections). */
  awarenessEntries: number;
  /** Arrival of an update to its relay (queueing + INSERT), over the last 10,000 updates. */
  storeToRelayMs: { p50: number; p99: number; samples: number };
}

export interface CollabServer {
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  /**
   * A member's access to the project changed (`role`: the new one; null when they were
   * removed or the project deleted). Their open sockets there close at once: with
   * `CLOSE.ROLE_CHANGED` when they are still a member (the providers reconnect,
   * authorized under the new role; a new viewer is read-only, Y4), else with
   * `CLOSE.ACCESS_REVOKED`: a reconnect would be refused with 403.
   */
  accessChanged(projectId: string, userId: string, role: Role | null): void;
  /** Counters for /metrics and benchmarks. */
  metrics(): CollabMetrics;
  /** Closes every connection, stores what is queued, compacts and unloads every doc. */
  close(): Promise<void>;
}

const pingIntervalMs = 30_000;
const maxEarlyMessages = 1_000;
/** Docs read at once when catching up after an outage: the pool also serves pushes and appends. */
const catchUpConcurrency = 4;

/** A WebSocket close reason is at most 123 bytes of UTF-8. */
function closeReason(text: string): string {
  let reason = text.slice(0, 123);
  while (Buffer.byteLength(reason) > 123) reason = reason.slice(0, -1);
  return reason;
}

export function createCollabServer(options: CollabServerOptions): CollabServer {
  const merger = createSnapshotMerger();
  const store = new DocStore(options.pool, merger);
  const compactAfterRows = options.compactAfterRows ?? 2000;
  const compactAfterBytes = options.compactAfterBytes ?? 1024 * 1024;
  const compactionSlot = limitConcurrency(Math.max(1, options.compactionConcurrency ?? 1));
  const maxMessageBytes = options.maxMessageBytes ?? collabLimitDefaults.maxMessageBytes;
  const maxDocBytes = options.maxDocBytes ?? collabLimitDefaults.maxDocBytes;
  const wss = new WebSocketServer({ noServer: true, maxPayload: maxMessageBytes });
  const docs = new Map<string, Promise<SharedDoc>>();
  /** The docs of `docs` that finished loading (for metrics). */
  const loadedDocs = new Set<SharedDoc>();
  /** Every accepted socket, joined yet or still waiting for its doc to load (access changes reach both). */
  const accepted = new Set<{ connection: Connection; projectId: string }>();
  const counters = { rowsWritten: 0, bytesWritten: 0, compactions: 0 };
  const waits = new Float64Array(10_000);
  let waitIndex = 0;
  let closing = false;

  const logger = options.logger.child({ component: 'collab' });
  const fanout = options.pubsub
    ? createDocFanout(options.pubsub, logger, {
        update(docName, update) {
          void loadedDoc(docName).then((doc) => {
            if (!doc) return;
            doc.applyPersisted(update);
            // It builds on an update whose message never came: read what is missing (Y10).
            if (doc.hasNewGap()) void doc.catchUp();
          });
        },
        missed() {
          void catchUpLoadedDocs();
        },
        awareness(docName, update) {
          void loadedDoc(docName).then((doc) => {
            if (!doc) return;
            try {
              awarenessProtocol.applyAwarenessUpdate(doc.awareness, update, remoteOrigin);
            } catch (error) {
              doc.logger.warn('unreadable awareness from another instance', { error: (error as Error).message });
            }
          });
        },
      })
    : null;

  async function loadedDoc(docName: string): Promise<SharedDoc | null> {
    const entry = docs.get(docName);
    return entry ? entry.catch(() => null) : null;
  }

  /** After a Redis outage: every loaded doc reads what it missed, a few docs at a time (Y10). */
  async function catchUpLoadedDocs(): Promise<void> {
    const loaded = (await Promise.all([...docs.values()].map((entry) => entry.catch(() => null)))).filter(
      (doc): doc is SharedDoc => doc !== null && !doc.closing,
    );
    logger.info('catching up loaded docs after a pub/sub outage', { docs: loaded.length });
    const next = loaded.values();
    const worker = async () => {
      for (let doc = next.next(); !doc.done; doc = next.next()) await doc.value.catchUp();
    };
    await Promise.all(Array.from({ length: catchUpConcurrency }, worker));
  }

  const hooks = {
    published(doc: SharedDoc, update: Uint8Array) {
      fanout?.publishUpdate(doc.name, update);
    },
    awarenessChanged(doc: SharedDoc, update: Uint8Array) {
      fanout?.publishAwareness(doc.name, update);
    },
    logGrew(doc: SharedDoc) {
      if (doc.compacting || !compactionDue(doc)) return;
      doc.compacting = compact(doc).then((compacted) => {
        doc.compacting = null;
        // Writes stored while it ran may have made the next one due; after a failure, the next write retries.
        if (compacted) hooks.logGrew(doc);
      });
    },
    writeFailed(doc: SharedDoc, error: unknown) {
      doc.logger.error('update not stored, closing its senders', { error });
    },
    written(rows: number, bytes: number, waitedMs: number[]) {
      counters.rowsWritten += rows;
      counters.bytesWritten += bytes;
      for (const ms of waitedMs) {
        waits[waitIndex % waits.length] = ms;
        waitIndex += 1;
      }
    },
  };

  // Rewriting the snapshot costs its whole size, so a big doc waits until its log is half
  // the snapshot (bounded write amplification); the byte and row caps bound how much a
  // joining client's load has to replay. Each compaction is a burst of WAL (the whole new
  // snapshot) that the docs' appends commit behind: fewer of them shortens the relay tail.
  function compactionDue(doc: SharedDoc): boolean {
    if (doc.log.bytes >= compactAfterBytes || doc.log.rows >= compactAfterRows * 5) return true;
    return doc.log.rows >= compactAfterRows && doc.log.bytes * 2 >= doc.snapshotBytes;
  }

  /** False when it failed (and logged why). */
  async function compact(doc: SharedDoc): Promise<boolean> {
    try {
      const result = await compactionSlot(() => store.compact(doc.projectId, doc.name));
      counters.compactions += 1;
      doc.snapshotBytes = result.bytesAfter;
      doc.log.rows = Math.max(0, doc.log.rows - result.mergedRows);
      doc.log.bytes = Math.max(0, doc.log.bytes - result.mergedLogBytes);
      return true;
    } catch (error) {
      // The log stays as it is; the next write or the unload tries again.
      doc.logger.error('compaction failed', { error });
      return false;
    }
  }

  async function load(name: DocName): Promise<SharedDoc> {
    const doc = new SharedDoc(
      name.name,
      name.projectId,
      store,
      hooks,
      logger.child({ project: name.projectId, doc: name.name }),
      maxDocBytes,
    );
    try {
      // Subscribe before reading: an update stored elsewhere meanwhile arrives one way or
      // the other. Redis down costs cross-instance liveness only, never the doc itself.
      await fanout?.subscribe(name.name);
      const loaded = await store.load(name.projectId, name.name);
      doc.applyStored(loaded.updates, loaded.log, loaded.snapshotBytes);
      loadedDocs.add(doc);
      return doc;
    } catch (error) {
      doc.destroy();
      fanout?.unsubscribe(name.name);
      throw error;
    }
  }

  /** Joins `connection` to the loaded doc, loading it or waiting out an unload first. */
  async function join(name: DocName, connection: Connection): Promise<SharedDoc> {
    for (;;) {
      let entry = docs.get(name.name);
      if (!entry) {
        entry = load(name);
        docs.set(name.name, entry);
        const pending = entry;
        pending.catch(() => {
          if (docs.get(name.name) === pending) docs.delete(name.name);
        });
      }
      const doc = await entry;
      if (doc.closing) {
        await doc.closed;
        continue;
      }
      doc.join(connection);
      return doc;
    }
  }

  /** Unloads a doc nobody is connected to: store what is queued, compact, forget (Y7). */
  async function release(doc: SharedDoc): Promise<void> {
    if (doc.connections.size > 0 || doc.closing) return;
    doc.closing = true;
    try {
      await doc.drain();
      // A finished compaction may start the next one (logGrew): wait until none runs.
      while (doc.compacting) await doc.compacting;
      if (doc.log.rows > 0) await compact(doc);
    } finally {
      docs.delete(doc.name);
      loadedDocs.delete(doc);
      fanout?.unsubscribe(doc.name);
      doc.destroy();
      doc.markClosed();
      // No doc left to compact: an idle instance holds no merger isolate (Y11).
      if (docs.size === 0) merger.stopIfIdle();
    }
  }

  function accept(socket: WebSocket, name: DocName, access: Extract<YjsAccess, { kind: 'granted' }>): void {
    const connection: Connection = {
      socket,
      userId: access.userId,
      userName: access.userName,
      readOnly: access.role === 'viewer',
      awarenessIds: new Set(),
    };
    let doc: SharedDoc | null = null;
    const entry = { connection, projectId: name.projectId };
    accepted.add(entry);
    const early: Uint8Array[] = [];
    let earlyBytes = 0;
    let alive = true;
    const ping = setInterval(() => {
      if (!alive) return socket.terminate();
      alive = false;
      socket.ping();
    }, pingIntervalMs);
    socket.on('pong', () => {
      alive = true;
    });

    const receive = (data: Uint8Array) => {
      // Frames already buffered behind a bad one must not be applied.
      if (socket.readyState !== socket.OPEN) return;
      if (!doc) {
        // Bounded in count and bytes: a doc that loads slowly must not become a buffer.
        earlyBytes += data.byteLength;
        if (early.length >= maxEarlyMessages || earlyBytes > 2 * maxMessageBytes) {
          return void socket.close(CLOSE.POLICY_VIOLATION, 'too many messages before the doc loaded');
        }
        return void early.push(data);
      }
      try {
        doc.receive(connection, decodeClientMessage(data));
      } catch (error) {
        // A bad message costs only its own connection (Y9).
        const reason = error instanceof CollabError ? error.message : 'internal error';
        if (!(error instanceof CollabError))
          doc.logger.error('message handling failed', { user: connection.userId, error });
        const code =
          error instanceof CollabError && error.code === 'DOC_TOO_LARGE' ? CLOSE.DOC_TOO_LARGE : CLOSE.INVALID_PAYLOAD;
        socket.close(code, closeReason(reason));
      }
    };
    socket.on('message', (data, isBinary) => {
      if (!isBinary) return void socket.close(CLOSE.UNSUPPORTED_DATA, 'binary y-websocket messages only');
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
      receive(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    });
    socket.on('error', () => socket.terminate());
    socket.on('close', () => {
      clearInterval(ping);
      accepted.delete(entry);
      if (!doc) return;
      doc.leave(connection);
      void release(doc);
    });

    join(name, connection).then(
      (joined) => {
        doc = joined;
        if (socket.readyState !== socket.OPEN) {
          joined.leave(connection);
          void release(joined);
          return;
        }
        for (const data of early.splice(0)) receive(data);
      },
      (error: unknown) => {
        logger.error('doc load failed', { project: name.projectId, doc: name.name, error });
        socket.close(CLOSE.INTERNAL_ERROR, 'document could not be loaded');
      },
    );
  }

  async function upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    if (closing) return refuse(socket, 503, 'server is shutting down');
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith('/yjs/')) return refuse(socket, 404, 'Yjs docs live under /yjs/<docName>');
    let name: DocName;
    try {
      name = parseDocName(decodeURIComponent(url.pathname.slice('/yjs/'.length)));
    } catch (error) {
      const message = error instanceof CollabError ? error.message : 'doc name is not valid URI encoding';
      return refuse(socket, 400, message);
    }
    const access = await options.authorize(url.searchParams.get('ticket'), name.projectId);
    if (access.kind === 'unauthorized')
      return refuse(socket, 401, 'missing, used or expired ticket: get one from auth.socketTicket for each connection');
    if (access.kind === 'forbidden') return refuse(socket, 403, `not a member of project ${name.projectId}`);
    if (socket.destroyed) return;
    const admission = options.admit?.(access.userId, request) ?? { ok: true as const, release: () => undefined };
    if (!admission.ok) {
      wss.handleUpgrade(request, socket, head, (ws) => {
        ws.close(admission.code, closeReason(admission.reason));
        // Don't hold a refused socket for the whole closing handshake.
        setTimeout(() => ws.terminate(), 1_000).unref();
      });
      return;
    }
    // Released when the connection ends, however it ends (even before the handshake completes).
    socket.once('close', () => admission.release());
    wss.handleUpgrade(request, socket, head, (ws) => accept(ws, name, access));
  }

  return {
    handleUpgrade(request, socket, head) {
      socket.on('error', () => socket.destroy());
      upgrade(request, socket, head).catch((error: unknown) => {
        logger.error('upgrade failed', { error });
        refuse(socket, 503, 'authorization is unavailable, try again');
      });
    },
    accessChanged(projectId, userId, role) {
      for (const { connection, projectId: project } of accepted) {
        if (project !== projectId || connection.userId !== userId) continue;
        // Frames already buffered behind the close are ignored (receive checks readyState).
        if (role === null)
          connection.socket.close(CLOSE.ACCESS_REVOKED, `you are no longer a member of project ${projectId}`);
        else connection.socket.close(CLOSE.ROLE_CHANGED, 'your access to this project changed; reconnect');
      }
    },
    metrics() {
      let connections = 0;
      for (const client of wss.clients) if (client.readyState === client.OPEN) connections += 1;
      const samples = waits.slice(0, Math.min(waitIndex, waits.length)).sort();
      const at = (p: number) =>
        samples.length === 0 ? 0 : (samples[Math.min(samples.length - 1, Math.floor(p * samples.length))] ?? 0);
      let awarenessEntries = 0;
      let docBytes = 0;
      for (const doc of loadedDocs) {
        awarenessEntries += doc.awarenessEntries;
        docBytes += doc.heldBytes;
      }
      return {
        docsLoaded: docs.size,
        docBytes,
        connections,
        awarenessEntries,
        merger: { running: merger.running, ...merger.stats },
        ...counters,
        storeToRelayMs: { p50: at(0.5), p99: at(0.99), samples: samples.length },
      };
    },
    async close() {
      closing = true;
      for (const client of wss.clients) client.close(CLOSE.GOING_AWAY, 'server shutting down');
      const loaded = await Promise.all([...docs.values()].map((entry) => entry.catch(() => null)));
      await Promise.all(
        loaded.map(async (doc) => {
          if (!doc) return;
          for (const connection of [...doc.connections.values()]) doc.leave(connection);
          await release(doc);
          await doc.closed;
        }),
      );
      for (const client of wss.clients) client.terminate();
      fanout?.close();
      await merger.close();
    },
  };
}

/** Runs at most `limit` tasks at once, the others in the order they came. */
function limitConcurrency(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async (task) => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    else running += 1;
    try {
      return await task();
    } finally {
      // The slot passes straight to the next task waiting, if any.
      const next = waiting.shift();
      if (next) next();
      else running -= 1;
    }
  };
}

function refuse(socket: Duplex, status: number, message: string): void {
  if (socket.destroyed) return;
  const body = `${message}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
