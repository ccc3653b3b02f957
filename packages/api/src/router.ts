import { type PullRequest, type PushRequest, recordIdPattern, roles } from '@clapper/schema';
import { parsePullRequest, parsePushRequest, projectIdSchema } from '@clapper/sync-server';
import { z } from 'zod';
import { loggedPush } from './logged-push.ts';
import {
  authedProcedure,
  bearerToken,
  checkedByMemberProcedure,
  memberProcedure,
  publicProcedure,
  router,
} from './trpc.ts';

const email = z
  .string({ error: 'must be a string' })
  .trim()
  .toLowerCase()
  .max(254, 'must be at most 254 characters')
  .pipe(z.email({ error: 'must be an email address' }));
const projectId = projectIdSchema;
const userId = z.string({ error: 'must be a string' }).regex(recordIdPattern, 'must be a user id');
const role = z.enum(roles, { error: 'must be "owner", "editor" or "viewer"' });
const projectName = z
  .string({ error: 'must be a string' })
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters');
// Shown to everyone in a project: printable text only, so nobody can fake a line break or an invisible name.
const displayName = z
  .string({ error: 'must be a string' })
  .trim()
  .min(1, 'must not be empty')
  .max(80, 'must be at most 80 characters')
  .regex(/^[^\p{C}]+$/u, 'must not contain control or invisible format characters');

function countRecords(changes: unknown): number {
  if (typeof changes !== 'object' || changes === null) return 0;
  let count = 0;
  for (const table of Object.values(changes)) {
    if (typeof table !== 'object' || table === null) continue;
    for (const kind of ['created', 'updated', 'deleted'] as const) {
      const list = (table as Record<string, unknown>)[kind];
      if (Array.isArray(list)) count += list.length;
    }
  }
  return count;
}

export const appRouter = router({
  auth: router({
    requestCode: publicProcedure.input(z.object({ email })).mutation(async ({ ctx, input }) => {
      await ctx.deps.auth.requestCode(input.email, ctx.clientAddress);
      return { sent: true as const };
    }),
    verifyCode: publicProcedure
      .input(
        z.object({
          email,
          code: z
            .string({ error: 'must be a string' })
            .trim()
            .regex(/^\d{6}$/, 'must be 6 digits'),
        }),
      )
      .mutation(({ ctx, input }) => ctx.deps.auth.verifyCode(input.email, input.code, ctx.clientAddress)),
    me: authedProcedure.query(({ ctx }) => ctx.user),
    setName: authedProcedure
      .input(z.object({ name: displayName }))
      .mutation(({ ctx, input }) => ctx.deps.auth.setName(ctx.user.id, input.name)),
    /**
     * A single-use ticket (30 s) for one WebSocket upgrade: `/sync?ticket=` or
     * `/yjs/<docName>?ticket=`. With `projectId`, only for that project (and the caller
     * must be a member). Session tokens never go into URLs.
     */
    socketTicket: publicProcedure
      .input(z.object({ projectId: projectId.optional() }).optional())
      .mutation(({ ctx, input }) => ctx.deps.tickets.issue(bearerToken(ctx.authorization), input?.projectId ?? null)),
  }),

  projects: router({
    create: authedProcedure
      .input(z.object({ name: projectName }))
      .mutation(({ ctx, input }) => ctx.deps.projects.create(ctx.user.id, input.name)),
    list: authedProcedure.query(({ ctx }) => ctx.deps.projects.list(ctx.user.id)),
    addMember: authedProcedure
      .input(z.object({ projectId, email, role }))
      .mutation(({ ctx, input }) => ctx.deps.projects.addMember(ctx.user.id, input)),
    members: authedProcedure
      .input(z.object({ projectId }))
      .query(({ ctx, input }) => ctx.deps.projects.members(ctx.user.id, input.projectId)),
    setRole: authedProcedure.input(z.object({ projectId, userId, role })).mutation(async ({ ctx, input }) => {
      await ctx.deps.projects.setRole(ctx.user.id, input);
      return { ok: true as const };
    }),
    removeMember: authedProcedure.input(z.object({ projectId, userId })).mutation(async ({ ctx, input }) => {
      await ctx.deps.projects.removeMember(ctx.user.id, input);
      return { ok: true as const };
    }),
    rename: authedProcedure
      .input(z.object({ projectId, name: projectName }))
      .mutation(({ ctx, input }) => ctx.deps.projects.rename(ctx.user.id, input)),
    delete: authedProcedure.input(z.object({ projectId })).mutation(async ({ ctx, input }) => {
      await ctx.deps.projects.remove(ctx.user.id, input.projectId);
      return { ok: true as const };
    }),
  }),

  sync: router({
    pull: memberProcedure('viewer', parsePullRequest)
      .input(checkedByMemberProcedure<PullRequest>())
      .query(async ({ ctx: { deps, user, request: input } }) => {
        const { metrics, sync, logger } = deps;
        const started = performance.now();
        try {
          const result = await sync.pull(input);
          metrics.pulls.inc({ outcome: 'ok' });
          logger.info('pull', {
            project: input.projectId,
            user: user.id,
            since: input.lastPulledAt,
            schemaVersion: input.schemaVersion,
            records: countRecords(result.changes),
            timestamp: result.timestamp,
            durationMs: Math.round(performance.now() - started),
          });
          return result;
        } catch (error) {
          metrics.pulls.inc({ outcome: 'error' });
          throw error;
        }
      }),
    push: memberProcedure('editor', parsePushRequest)
      .input(checkedByMemberProcedure<PushRequest>())
      .mutation(({ ctx: { deps, user, request: input } }) => loggedPush(deps, user.id, input, 'http')),
  }),
});

export type AppRouter = typeof appRouter;
