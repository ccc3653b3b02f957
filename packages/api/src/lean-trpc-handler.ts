/**
 * A lean tRPC path for the two calls every device makes all day: `POST /trpc/sync.push`
 * and `GET /trpc/sync.pull`, unbatched. tRPC v11's node adapter turns each request into
 * a fetch `Request` (headers, abort signals, web streams) and its answer into a
 * `Response`; that costs more CPU than the push itself. Here the same procedure runs
 * through tRPC's `callTRPCProcedure` (middleware, input checks, error mapping all
 * unchanged) and the answer is the JSON tRPC would write. Anything else (batches,
 * streaming, other content types, other procedures) goes to the standard handler.
 *
 * Only tRPC's public exports are used (`callTRPCProcedure`, `TRPCError`,
 * `getTRPCErrorFromUnknown`, `getHTTPStatusCodeFromError`, `TRPC_ERROR_CODES_BY_KEY`),
 * so an upgrade can't break this silently through a private field. What this path must
 * keep in step with tRPC by hand: the default error shape (`errorShape`, built in
 * `trpc.ts`), how an unparseable body fails (BAD_REQUEST with the parser's message, when
 * the procedure first reads its input) and the headers of a single JSON answer.
 * `lean-trpc-handler.pg.test.ts` sends the same calls both ways and requires identical
 * answers, so an upgrade that changes any of these fails there. tRPC is pinned to one
 * exact version in package.json, so such an upgrade is always a deliberate change.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type AnyTRPCRouter, TRPCError, callTRPCProcedure, getTRPCErrorFromUnknown } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';

type ProcedureType = 'query' | 'mutation';

export interface LeanCallOptions<TContext> {
  router: AnyTRPCRouter;
  /** Procedure path → the one method it is served on here. */
  procedures: Readonly<Record<string, ProcedureType>>;
  maxBodySize: number;
  createContext(req: IncomingMessage): TContext;
  /** The error's answer body, as tRPC's error formatter makes it. */
  errorShape(opts: {
    error: TRPCError;
    path: string;
    type: ProcedureType;
    input: unknown;
    ctx: TContext | undefined;
  }): unknown;
  onError(opts: { error: TRPCError; path: string; type: ProcedureType; input: unknown }): void;
  /** The standard tRPC handler, for everything this path does not take. */
  fallback(req: IncomingMessage, res: ServerResponse): void | Promise<void>;
}

/** Bodies up to this many times the limit are drained before the 413 (see `readBody`). */
const drainFactor = 4;

/** `(req, res, url)`: serves the lean calls, hands everything else to `fallback`. */
export function createLeanTRPCHandler<TContext>(options: LeanCallOptions<TContext>) {
  const { router, procedures, maxBodySize } = options;

  function reply(res: ServerResponse, status: number, body: unknown, close = false): void {
    if (res.destroyed) return;
    const text = JSON.stringify(body);
    // The headers tRPC's resolveResponse sets on a single JSON call.
    const headers: Record<string, string | number> = {
      vary: 'trpc-accept, accept',
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
    };
    if (close) headers.connection = 'close';
    res.writeHead(status, headers);
    res.end(text);
  }

  function fail(
    res: ServerResponse,
    path: string,
    type: ProcedureType,
    error: TRPCError,
    input: unknown,
    ctx: TContext | undefined,
  ): void {
    options.onError({ error, path, type, input });
    reply(res, getHTTPStatusCodeFromError(error), { error: options.errorShape({ error, path, type, input, ctx }) });
  }

  async function call(
    res: ServerResponse,
    req: IncomingMessage,
    path: string,
    type: ProcedureType,
    input: Parsed,
  ): Promise<void> {
    let ctx: TContext | undefined;
    const value = input instanceof Unparseable ? undefined : input;
    try {
      ctx = options.createContext(req);
      // As tRPC's adapter does, a body that isn't JSON fails when the procedure reads its input.
      const getRawInput = input instanceof Unparseable ? () => Promise.reject(input.error) : async () => value;
      const data = await callTRPCProcedure({ router, path, getRawInput, ctx, type, signal: undefined, batchIndex: 0 });
      reply(res, 200, { result: { data } });
    } catch (cause) {
      fail(res, path, type, getTRPCErrorFromUnknown(cause), value, ctx);
    }
  }

  return async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname.slice('/trpc/'.length);
    const type = procedures[path];
    if (!type || !isPlainCall(req, url, type)) return options.fallback(req, res);
    if (type === 'query') return call(res, req, path, type, parseJson(url.searchParams.get('input') ?? undefined));
    if (!isJson(req.headers['content-type'])) return options.fallback(req, res);
    const body = await readBody(req, maxBodySize);
    if (body === gone) return;
    if (body === tooLarge) {
      const error = new TRPCError({ code: 'PAYLOAD_TOO_LARGE' });
      options.onError({ error, path, type, input: undefined });
      // The connection may still carry unread body: it can't take another request.
      return reply(
        res,
        413,
        { error: options.errorShape({ error, path, type, input: undefined, ctx: undefined }) },
        true,
      );
    }
    return call(res, req, path, type, parseJson(body));
  };
}

/** A body or query that is not JSON, with the error tRPC's adapter gives it. */
class Unparseable {
  readonly error: TRPCError;
  constructor(cause: Error) {
    this.error = new TRPCError({ code: 'BAD_REQUEST', message: cause.message, cause });
  }
}

type Parsed = unknown;

const tooLarge = Symbol('too large');
const gone = Symbol('client gone');

/** tRPC treats an empty body or a missing `input` as no input. */
function parseJson(text: string | undefined): Parsed {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    return new Unparseable(error as Error);
  }
}

/** A single, non-streaming call on its own method: a query's only parameter is `input`, a mutation has none. */
function isPlainCall(req: IncomingMessage, url: URL, type: ProcedureType): boolean {
  if (req.headers['trpc-accept'] !== undefined) return false;
  if (type === 'mutation') return req.method === 'POST' && url.search === '';
  if (req.method !== 'GET') return false;
  const keys = [...url.searchParams.keys()];
  return keys.length === 0 || (keys.length === 1 && keys[0] === 'input');
}

function isJson(contentType: string | undefined): boolean {
  return contentType?.split(';', 1)[0]?.trim().toLowerCase() === 'application/json';
}

/**
 * The body as text; `gone` when the client went away mid-body; `tooLarge` past `limit`.
 * An oversized body is read to its end and dropped, so a client still sending it gets the
 * 413 rather than a connection reset, unless it is (or says it is) more than
 * `drainFactor` times the limit: then the 413 goes out at once and the connection closes.
 */
function readBody(req: IncomingMessage, limit: number): Promise<string | typeof tooLarge | typeof gone> {
  return new Promise((resolve) => {
    if (Number(req.headers['content-length']) > limit * drainFactor) {
      resolve(tooLarge);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else if (size > limit * drainFactor) resolve(tooLarge);
      else chunks.length = 0;
    });
    req.once('end', () => resolve(size > limit ? tooLarge : Buffer.concat(chunks, size).toString('utf8')));
    // A client that disconnects is not a server error: there is no one left to answer.
    req.once('error', () => resolve(gone));
    req.once('close', () => resolve(gone));
  });
}
