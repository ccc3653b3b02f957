import { socketTicketParam } from '@clapper/schema';

type Handler = ((event: never) => void) | null;

/**
 * A WebSocket class for y-websocket's `WebSocketPolyfill` option that asks for a fresh
 * single-use ticket before every connection and puts it in the URL in place of a token.
 * y-websocket constructs one per (re)connect attempt, so its reconnect and backoff logic
 * stays as it is: a ticket that can't be had (offline, server down, session gone) looks to
 * it like a refused connection, reported with `error` then `close` (1006), and it backs off
 * and tries again.
 */
export function ticketedWebSocket(Base: typeof WebSocket, getTicket: () => Promise<string>): typeof WebSocket {
  class TicketedWebSocket {
    static readonly CONNECTING = 0;
    static readonly OPEN = 1;
    static readonly CLOSING = 2;
    static readonly CLOSED = 3;
    readonly CONNECTING = 0;
    readonly OPEN = 1;
    readonly CLOSING = 2;
    readonly CLOSED = 3;
    onopen: Handler = null;
    onmessage: Handler = null;
    onerror: Handler = null;
    onclose: Handler = null;
    binaryType: BinaryType = 'blob';
    private inner: WebSocket | null = null;
    private ended = false;

    constructor(url: string | URL, protocols?: string | string[]) {
      getTicket().then(
        (ticket) => {
          if (this.ended) return;
          const target = new URL(url);
          target.searchParams.set(socketTicketParam, ticket);
          const ws = new Base(target.toString(), protocols);
          ws.binaryType = this.binaryType;
          this.inner = ws;
          // Looked up at each event: y-websocket detaches its handlers by nulling ours.
          ws.onopen = (event) => (this.onopen as ((e: Event) => void) | null)?.(event);
          ws.onmessage = (event) => (this.onmessage as ((e: MessageEvent) => void) | null)?.(event);
          ws.onerror = (event) => (this.onerror as ((e: Event) => void) | null)?.(event);
          ws.onclose = (event) => (this.onclose as ((e: CloseEvent) => void) | null)?.(event);
        },
        (error: unknown) => {
          if (this.ended) return;
          this.ended = true;
          const reason = `no socket ticket: ${(error as Error).message}`.slice(0, 123);
          (this.onerror as ((e: { type: string; message: string }) => void) | null)?.({
            type: 'error',
            message: reason,
          });
          (this.onclose as ((e: { type: string; code: number; reason: string; wasClean: boolean }) => void) | null)?.({
            type: 'close',
            code: 1006,
            reason,
            wasClean: false,
          });
        },
      );
    }

    get readyState(): number {
      if (this.inner) return this.inner.readyState;
      return this.ended ? 3 : 0;
    }

    send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
      this.inner?.send(data);
    }

    close(code?: number, reason?: string): void {
      if (this.inner) this.inner.close(code, reason);
      else this.ended = true; // closed while the ticket was on its way: never connect
    }
  }
  return TicketedWebSocket as unknown as typeof WebSocket;
}
