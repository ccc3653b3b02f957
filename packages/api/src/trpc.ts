import type { SyncService } from '@clapper/sync-server';
import { type Role, recordIdPattern } from '@clapper/schema';
import { TRPCError, getTRPCErrorFromUnknown, initTRPC } from '@trpc/server';
import { type AccessControl, requireRank } from './access-control.ts';
import type { AuthService, User } from './auth-service.ts';
import { toTRPCError } from './error-mapping.ts';
import type { Logger } from './logger.ts';
import type { ServerMetrics } from './metrics.ts';
import type { ProjectsService } from './projects-service.ts';

/** What procedures use; built once per server instance. */
export interface ApiDeps {
  auth: AuthService;
  projects: ProjectsService;
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

const t = initTRPC.context<ApiContext>().create({
  errorFormatter({ shape, error }) {
    // Internal details (stack, SQL) never leave the server; the log has them.
    if (error.code === 'INTERNAL_SERVER_ERROR') {
      return { ...shape, message: 'internal server error', data: { ...shape.data, stack: undefined } };
    }
    return { ...shape, data: { ...shape.data, stack: undefined } };
  },
});

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
 * For procedures scoped to one project (`input.projectId`): the caller and their role
 * there, at least `minimum`. One query answers both, since every pull and push needs
 * them; it runs before input validation, so a signed-out caller hears UNAUTHORIZED
 * (then a non-member FORBIDDEN) whatever else is wrong with the request.
 * It also maps errors as `mapErrors` does, in the same middleware: every tRPC middleware
 * level copies the call's options several times, and pulls and pushes are the hot path.
 */
export function memberProcedure(minimum: Role) {
  return t.procedure.use(async ({ ctx, getRawInput, next }) => {
    let user: User;
    try {
      user = await authorizeMember(ctx, await getRawInput(), minimum);
    } catch (cause) {
      throw mapError(getTRPCErrorFromUnknown(cause));
    }
    const result = await next({ ctx: { ...ctx, user } });
    if (result.ok) return result;
    throw mapError(result.error);
  });
}

async function authorizeMember(ctx: ApiContext, raw: unknown, minimum: Role): Promise<User> {
  const projectId = typeof raw === 'object' && raw !== null ? (raw as { projectId?: unknown }).projectId : undefined;
  const token = bearerToken(ctx.authorization);
  // Input validation names a bad projectId, once we know who is asking.
  if (typeof projectId !== 'string' || !recordIdPattern.test(projectId)) return ctx.deps.auth.authenticate(token);
  const { user, role } = await ctx.deps.auth.authenticateMember(token, projectId);
  requireRank(role, projectId, minimum);
  return user;
}

export { TRPCError };
