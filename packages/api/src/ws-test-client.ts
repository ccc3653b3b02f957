import { type CollabProvider, createCollabProvider } from '@clapper/collab/client';
import WebSocket from 'ws';

/**
 * One editor's Yjs client for tests: the app's own provider (stock y-websocket underneath)
 * with no IndexedDB and no cross-tab channel, so every byte goes through the server.
 */
export function collabTestClient(serverUrl: string, docName: string, token: string): CollabProvider {
  return createCollabProvider({
    serverUrl,
    docName,
    token,
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    maxBackoffTime: 200,
    offline: true,
    crossTab: false,
  });
}

/** A real `ws` client for tests: buffers messages and waits for the one you expect (bounded). */
export interface TestSocket {
  readonly ws: WebSocket;
  send(message: unknown): void;
  sendRaw(text: string): void;
  /** Resolves with the first buffered or future JSON message matching `predicate`. */
  next<T = Record<string, unknown>>(
    predicate?: (message: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<T>;
  /** All messages received so far. */
  readonly received: Array<Record<string, unknown>>;
  closed(): Promise<{ code: number; reason: string }>;
  close(): void;
}

export async function openTestSocket(url: string): Promise<TestSocket> {
  const ws = new WebSocket(url);
  const received: Array<Record<string, unknown>> = [];
  const waiters: Array<{
    predicate: (m: Record<string, unknown>) => boolean;
    resolve: (m: Record<string, unknown>) => void;
  }> = [];
  const unconsumed: Array<Record<string, unknown>> = [];
  ws.on('message', (data) => {
    const message = JSON.parse(data.toString()) as Record<string, unknown>;
    received.push(message);
    const index = waiters.findIndex((w) => w.predicate(message));
    if (index >= 0) {
      const [waiter] = waiters.splice(index, 1);
      waiter?.resolve(message);
    } else unconsumed.push(message);
  });
  const closedPromise = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
  });
  return {
    ws,
    received,
    send: (message) => ws.send(JSON.stringify(message)),
    sendRaw: (text) => ws.send(text),
    next(predicate = () => true, timeoutMs = 5_000) {
      const index = unconsumed.findIndex(predicate);
      if (index >= 0) {
        const [message] = unconsumed.splice(index, 1);
        return Promise.resolve(message as never);
      }
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          const position = waiters.findIndex((w) => w.resolve === done);
          if (position >= 0) waiters.splice(position, 1);
          reject(new Error(`no matching message within ${timeoutMs} ms; received ${JSON.stringify(received)}`));
        }, timeoutMs);
        const done = (message: Record<string, unknown>) => {
          clearTimeout(timer);
          resolve(message as never);
        };
        waiters.push({ predicate, resolve: done });
      });
    },
    closed: () => closedPromise,
    close: () => ws.close(),
  };
}

/** The HTTP status with which an upgrade to `url` is refused (or 101 when accepted). */
export function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => {
      ws.close();
      resolve(101);
    });
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('error', (error) => reject(error));
  });
}
