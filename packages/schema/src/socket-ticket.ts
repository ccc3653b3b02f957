// The WebSocket ticket exchange as clients speak it (protocol.md, "WebSockets"): a session
// token never goes into a URL, where proxies and load balancers log it. Before every
// (re)connect a client asks `auth.socketTicket` over authenticated HTTP for a single-use
// ticket that lives 30 s, and opens `/sync?ticket=…` or `/yjs/<docName>?ticket=…` with it.

/** The tRPC procedure that issues tickets (a mutation). */
export const socketTicketProcedure = 'auth.socketTicket';
/** The query parameter the upgrade reads. */
export const socketTicketParam = 'ticket';

export class SocketTicketError extends Error {
  constructor(
    /** HTTP status of the server's refusal (401: sign in again, 403: not a member); null: no answer. */
    readonly status: number | null,
    message: string,
  ) {
    super(message);
    this.name = 'SocketTicketError';
  }
}

export interface RequestSocketTicketOptions {
  /** The server, `http(s)://` or `ws(s)://`; tRPC is at `/trpc` on its origin and path. */
  serverUrl: string;
  token: string;
  /** Bind the ticket to one project (a `/yjs` doc's project). */
  projectId?: string;
  fetch?: typeof globalThis.fetch;
}

function trpcUrl(serverUrl: string): string {
  const url = new URL(serverUrl);
  if (url.protocol === 'ws:') url.protocol = 'http:';
  else if (url.protocol === 'wss:') url.protocol = 'https:';
  url.search = '';
  url.hash = '';
  url.pathname = `${url.pathname.replace(/\/+$/, '').replace(/\/(yjs|sync)$/, '')}/trpc/${socketTicketProcedure}`;
  return url.toString();
}

/** Asks the server for a fresh ticket; throws SocketTicketError when it can't get one. */
export async function requestSocketTicket(options: RequestSocketTicketOptions): Promise<string> {
  // Called through globalThis: a browser's fetch invoked unbound throws "Illegal invocation".
  const fetchImpl = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
  let response: Response;
  try {
    response = await fetchImpl(trpcUrl(options.serverUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token}` },
      body: JSON.stringify(options.projectId === undefined ? {} : { projectId: options.projectId }),
    });
  } catch (error) {
    throw new SocketTicketError(null, `server unreachable: ${(error as Error).message}`);
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new SocketTicketError(response.status, `${socketTicketProcedure} answered ${response.status} without JSON`);
  }
  const ticket = (body as { result?: { data?: { ticket?: unknown } } } | null)?.result?.data?.ticket;
  if (response.ok && typeof ticket === 'string') return ticket;
  const message = (body as { error?: { message?: unknown } } | null)?.error?.message;
  throw new SocketTicketError(
    response.status,
    typeof message === 'string' ? message : `${socketTicketProcedure} answered ${response.status}`,
  );
}
