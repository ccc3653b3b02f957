/**
 * A lean tRPC path for the two calls every device makes all day: `POST /trpc/sync.push`
 * and `GET /trpc/sync.pull`, unbatched. tRPC v11's node adapter turns each request into
 * a fetch `Request` (headers, abort signals, web streams) and its answer into a
 * `Response`; that costs more CPU than the push itself. Here the same procedure runs
 * through tRPC's own `callTRPCProcedure` (middleware, zod input, error mapping and error
 * formatter all unchanged) and the answer is the same JSON tRPC would write. Anything
 * else, and anything unusual (batches, streaming, other content types, unparseable
 * JSON), goes to the standard handler, so odd requests get tRPC's exact behaviour.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type AnyTRPCRouter, TRPCError, callTRPCProcedure, getErrorShape, getTRPCErrorFromUnknown } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';

type ProcedureType = 'query' | 'mutation';

export interface LeanCallOptions<TContext> {
  router: AnyTRPCRouter;
  /** Procedure path → the one method it is served on here. */
  procedures: Readonly<Record<string, ProcedureType>>;
  maxBodySize: number;
  createContext(req: IncomingMessage): TContext;
  onError(opts: { error: TRPCError; path: string; type: ProcedureType; input: unknown }): void;
  /** The standard tRPC handler, for everything this path does not take. */
  fallback(req: IncomingMessage, res: ServerResponse): void | Promise<void>;
}

/** `(req, res, url)`: serves the lean calls, hands everything else to `fallback`. */
export function createLeanTRPCHandler<TContext>(options: LeanCallOptions<TContext>) {
  const { router, procedures, maxBodySize } = options;
  const config = router._def._config;

  function reply(res: ServerResponse, status: number, body: unknown): void {
    if (res.destroyed) return;
    const text = JSON.stringify(body);
    // The headers tRPC's resolveResponse sets on a single JSON call.
    res.writeHead(status, { vary: 'trpc-accept, accept', 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  async function call(res: ServerResponse, req: IncomingMessage, path: string, type: ProcedureType, input: unknown): Promise<void> {
    let ctx: TContext | undefined;
    try {
      ctx = options.createContext(req);
      const data = await callTRPCProcedure({ router, path, getRawInput: async () => input, ctx, type, signal: undefined, batchIndex: 0 });
      reply(res, 200, { result: { data } });
    } catch (cause) {
      const error = getTRPCErrorFromUnknown(cause);
      options.onError({ error, path, type, input });
      reply(res, getHTTPStatusCodeFromError(error), { error: getErrorShape({ config, error, type, path, input, ctx }) });
    }
  }

  return async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname.slice('/trpc/'.length);
    const type = procedures[path];
    if (!type || !isPlainCall(req, url, type)) return options.fallback(req, res);
    if (type === 'query') {
      const raw = url.searchParams.get('input');
      const input = parseJson(raw ?? undefined);
      if (input === unparseable) return options.fallback(req, res);
      return call(res, req, path, type, input);
    }
    if (!isJson(req.headers['content-type'])) return options.fallback(req, res);
    const body = await readBody(req, maxBodySize);
    if (body === gone) return;
    if (body === tooLarge) {
      const error = new TRPCError({ code: 'PAYLOAD_TOO_LARGE' });
      options.onError({ error, path, type, input: undefined });
      return reply(res, 413, { error: getErrorShape({ config, error, type, path, input: undefined, ctx: undefined }) });
    }
    const input = parseJson(body);
    if (input === unparseable) {
      // The standard handler reads a string `req.body` instead of the consumed stream.
      (req as IncomingMessage & { body?: string }).body = body;
      return options.fallback(req, res);
    }
    return call(res, req, path, type, input);
  };
}

const unparseable = Symbol('unparseable');
const tooLarge = Symbol('too large');
const gone = Symbol('client gone');

/** tRPC treats an empty body or a missing `input` as no input. */
function parseJson(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return unparseable;
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

/** The body as text; `tooLarge` past `limit`; `gone` when the client went away mid-body. */
function readBody(req: IncomingMessage, limit: number): Promise<string | typeof tooLarge | typeof gone> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        // Stop reading; the answer goes out and the connection is not reused.
        req.resume();
        resolve(tooLarge);
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => size <= limit && resolve(Buffer.concat(chunks, size).toString('utf8')));
    // A client that disconnects is not a server error: there is no one left to answer.
    req.once('error', () => resolve(gone));
    req.once('close', () => resolve(gone));
  });
}
