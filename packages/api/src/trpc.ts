import { type Role, pushLimits } from '@clapper/schema';
import { type ProjectId, type SyncService, projectIdOf } from '@clapper/sync-server';
import { TRPCError, getTRPCErrorFromUnknown, initTRPC } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import { type AccessControl, requireRank } from './access-control.ts';
import type { AuthService, User } from './auth-service.ts';
import { toTRPCError } from './error-mapping.ts';
import type { Logger } from '@clapper/log';
import type { ServerMetrics } from './metrics.ts';
import type { ProjectsService } from './projects-service.ts';
import type { SocketTickets } from './socket-tickets.ts';

/** What procedures use; built once per server instance. */
export interface ApiDeps {
  auth: AuthService;
  projects: ProjectsService;
  tickets: SocketTickets;
  access: AccessControl;
  sync: SyncService;
  metrics: ServerMetrics;
  logger: Logger;
}

export interface ApiContext {
  deps: ApiDeps;
  /** The raw `Authorization` header; parsed only by procedures that need a user. */
  authorization: string | undefined;
  /** The requester's address for sign-in limits (`clientAddress`: TRUST_PROXY decides whether proxies' headers count). */
  clientAddress: string;
}

/** The HTTP body limit (`http-server.ts` gives both tRPC handlers `pushLimits.maxBytes`). */
const bodyTooLarge = `a request body may be at most ${pushLimits.maxBytes} bytes`;

const maxMessageLength = 1000;

type ErrorShape = ReturnType<typeof defaultErrorShape>;

/** The shape every error leaves the server in (tRPC's error formatter, and the lean path's). */
function formatError({ shape, error }: { shape: ErrorShape; error: TRPCError }): ErrorShape {
  // Internal details (stack, SQL) never leave the server; the log has them.
  if (error.code === 'INTERNAL_SERVER_ERROR') {
    return { ...shape, message: 'internal server error', data: { ...shape.data, stack: undefined } };
  }
  // The HTTP layer's refusal of a body over the limit carries only the code; name the limit.
  let message =
    error.code === 'PAYLOAD_TOO_LARGE' && shape.message === 'PAYLOAD_TOO_LARGE' ? bodyTooLarge : shape.message;
  // A message may quote what a client sent (an id, a column name): never at length.
  if (message.length > maxMessageLength) message = `${message.slice(0, maxMessageLength)}…`;
  return { ...shape, message, data: { ...shape.data, stack: undefined } };
}

/**
 * tRPC's default error shape, from its public codes (the lean handler can't reach the
 * router's config without private fields). `lean-trpc-handler.pg.test.ts` compares the
 * lean and standard paths' answers, so a tRPC version that shapes errors otherwise fails there.
 */
function defaultErrorShape(error: TRPCError, path: string) {
  const data: { code: TRPCError['code']; httpStatus: number; path?: string; stack?: string } = {
    code: error.code,
    httpStatus: getHTTPStatusCodeFromError(error),
    path,
  };
  return { message: error.message, code: TRPC_ERROR_CODES_BY_KEY[error.code], data };
}

/** The answer body of `error` on `path`, as tRPC's standard handler writes it. */
export function errorShapeOf({ error, path }: { error: TRPCError; path: string }): ErrorShape {
  return formatError({ shape: defaultErrorShape(error, path), error });
}

const t = initTRPC.context<ApiContext>().create({ errorFormatter: formatError });

export const router = t.router;

// Unexpected errors pass through unchanged; the HTTP handler's onError logs them with context.
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (result.ok) return result;
  throw mapError(result.error);
});

function mapError(error: TRPCError): TRPCError {
  return toTRPCError(error) ?? error;
}

export const publicProcedure = t.procedure.use(mapErrors);

export function bearerToken(authorization: string | undefined): string | null {
  if (!authorization) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  return match?.[1] ?? null;
}

export const authedProcedure = publicProcedure.use(async ({ ctx, next }) => {
  const user: User = await ctx.deps.auth.authenticate(bearerToken(ctx.authorization));
  return next({ ctx: { ...ctx, user } });
});

/**
 * For procedures on one project's data (`sync.pull`, `sync.push`): checks the caller,
 * their role there (at least `minimum`) and the request, each once, in the order R6
 * fixes: UNAUTHORIZED, then FORBIDDEN, before any BAD_REQUEST about the input. So it
 * runs before tRPC's input step, reads the raw input, and hands the procedure the checked
 * request as `ctx.request` (`parse` gets the project id already checked). One query
 * answers who is asking and their role (or R7's cache).
 * It also maps errors as `mapErrors` does, in the same middleware: every tRPC middleware
 * level copies the call's options several times, and pulls and pushes are the hot path.
 */
export function memberProcedure<TRequest>(minimum: Role, parse: (raw: unknown, projectId: ProjectId) => TRequest) {
  return t.procedure.use(async ({ ctx, getRawInput, next }) => {
    let checked: { user: User; request: TRequest };
    try {
      checked = await authorizeMember(ctx, await getRawInput(), minimum, parse);
    } catch (cause) {
      throw mapError(getTRPCErrorFromUnknown(cause));
    }
    const result = await next({ ctx: checked });
    if (result.ok) return result;
    throw mapError(result.error);
  });
}

async function authorizeMember<TRequest>(
  ctx: ApiContext,
  raw: unknown,
  minimum: Role,
  parse: (raw: unknown, projectId: ProjectId) => TRequest,
): Promise<{ user: User; request: TRequest }> {
  const token = bearerToken(ctx.authorization);
  let projectId: ProjectId;
  try {
    projectId = projectIdOf(raw);
  } catch (problem) {
    // Without a project there is no role to check: a signed-out caller hears UNAUTHORIZED, anyone else the problem.
    await ctx.deps.auth.authenticate(token);
    throw problem;
  }
  const { user, role } = await ctx.deps.auth.authenticateMember(token, projectId);
  requireRank(role, projectId, minimum);
  return { user, request: parse(raw, projectId) };
}

/**
 * An input "parser" that checks nothing: it gives clients the input type of a procedure
 * whose input `memberProcedure` has already checked (into `ctx.request`), before tRPC's
 * input step runs.
 */
export function checkedByMemberProcedure<TWire>(): (raw: unknown) => TWire {
  return (raw) => raw as TWire;
}

export { TRPCError };
