import type { PrismaClient } from '@clapper/db';
import type { Role } from '@clapper/schema';
import { type AccessControl, requireRank } from './access-control.ts';
import { ApiError } from './api-error.ts';
import { normalizeEmail } from './auth-service.ts';
import { newId } from './ids.ts';

export interface ProjectSummary {
  id: string;
  name: string;
  role: Role;
}

export interface ProjectMember {
  userId: string;
  email: string;
  name: string;
  role: Role;
}

export interface ProjectsService {
  create(userId: string, name: string): Promise<{ id: string; name: string }>;
  /** The caller's projects that are not deleted (R2, R10). */
  list(userId: string): Promise<ProjectSummary[]>;
  /** Owner only. An unknown email gets a user now, so they can sign in later and find the project. */
  addMember(userId: string, input: { projectId: string; email: string; role: Role }): Promise<{ userId: string }>;
  /** Every member of the project with their role; any member may ask (R8). */
  members(userId: string, projectId: string): Promise<ProjectMember[]>;
  /** Owner only; the last owner can't be downgraded (R8). */
  setRole(userId: string, input: { projectId: string; userId: string; role: Role }): Promise<void>;
  /** Owner only, or a member removing themselves (leaving); the last owner can't go (R8). */
  removeMember(userId: string, input: { projectId: string; userId: string }): Promise<void>;
  /** Owner only (R10). */
  rename(userId: string, input: { projectId: string; name: string }): Promise<{ id: string; name: string }>;
  /** Owner only: a soft delete; the project vanishes from lists and refuses sync and Yjs (R10). */
  remove(userId: string, projectId: string): Promise<void>;
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';
}

// Advisory-lock namespace for membership changes of one project (second key: hashtext(projectId)).
// "The last owner stays" is a check over several rows; two owners demoting each other at
// once must not both pass it, so every membership change of a project takes this lock.
const MEMBERSHIP_LOCK = 7_242_004;

export function createProjectsService({
  prisma,
  access,
  now = Date.now,
  onMemberChanged,
}: {
  prisma: PrismaClient;
  /**
   * After a member was added, changed role, was removed, or their project was deleted,
   * once the change is committed: cached grants must go and open sockets follow (R7, R9).
   */
  onMemberChanged?: (projectId: string, userId: string) => void;
  access: AccessControl;
  now?: () => number;
}): ProjectsService {
  async function userIdFor(email: string): Promise<string> {
    const existing = await prisma.users.findUnique({ where: { email }, select: { id: true } });
    if (existing) return existing.id;
    try {
      const created = await prisma.users.create({
        data: { id: newId(), email, name: email.split('@')[0] ?? email, created_at: BigInt(now()) },
        select: { id: true },
      });
      return created.id;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const raced = await prisma.users.findUnique({ where: { email }, select: { id: true } });
      if (!raced) throw error;
      return raced.id;
    }
  }

  type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

  /**
   * Runs `change` holding the project's membership lock, after checking (inside the lock)
   * that the project is live and the caller's role is at least `minimum`.
   */
  async function withMembershipLock<T>(
    callerId: string,
    projectId: string,
    minimum: Role,
    change: (tx: Tx) => Promise<T>,
  ): Promise<T> {
    return prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT 1 FROM pg_advisory_xact_lock(${MEMBERSHIP_LOCK}::int4, hashtext(${projectId}))`;
      const rows = await tx.$queryRaw<Array<{ role: string }>>`
        SELECT m.role FROM project_members m JOIN projects p ON p.id = m.project_id AND p.deleted_at IS NULL
        WHERE m.project_id = ${projectId} AND m.user_id = ${callerId}`;
      requireRank(rows[0]?.role ?? null, projectId, minimum);
      return change(tx);
    });
  }

  /** Throws unless someone other than `leaving` still owns the project (call inside the lock). */
  async function requireAnotherOwner(tx: Tx, projectId: string, leaving: string, what: string): Promise<void> {
    const others = await tx.project_members.count({
      where: { project_id: projectId, role: 'owner', user_id: { not: leaving } },
    });
    if (others === 0)
      throw new ApiError('BAD_REQUEST', `${what}: a project needs an owner; make someone else owner first`);
  }

  async function memberRole(tx: Tx, projectId: string, memberId: string): Promise<Role> {
    const row = await tx.project_members.findUnique({
      where: { project_id_user_id: { project_id: projectId, user_id: memberId } },
      select: { role: true },
    });
    if (!row) throw new ApiError('NOT_FOUND', `user ${memberId} is not a member of project ${projectId}`);
    return row.role as Role;
  }

  return {
    async create(userId, name) {
      const at = BigInt(now());
      const project = await prisma.projects.create({
        data: {
          id: newId(),
          name,
          clock: 0n,
          created_at: at,
          members: { create: { user_id: userId, role: 'owner', created_at: at } },
        },
        select: { id: true, name: true },
      });
      return project;
    },

    async list(userId) {
      const rows = await prisma.project_members.findMany({
        where: { user_id: userId, project: { deleted_at: null } },
        select: { role: true, project: { select: { id: true, name: true, created_at: true } } },
        orderBy: { project: { created_at: 'asc' } },
      });
      return rows.map((row) => ({ id: row.project.id, name: row.project.name, role: row.role as Role }));
    },

    async addMember(userId, { projectId, email: rawEmail, role }) {
      await access.requireRole(userId, projectId, 'owner');
      const email = normalizeEmail(rawEmail);
      const memberId = await userIdFor(email);
      if (memberId === userId) throw new ApiError('BAD_REQUEST', 'you cannot change your own role in a project');
      await withMembershipLock(userId, projectId, 'owner', async (tx) => {
        await tx.project_members.upsert({
          where: { project_id_user_id: { project_id: projectId, user_id: memberId } },
          create: { project_id: projectId, user_id: memberId, role, created_at: BigInt(now()) },
          update: { role },
          select: { user_id: true },
        });
      });
      onMemberChanged?.(projectId, memberId);
      return { userId: memberId };
    },

    async members(userId, projectId) {
      await access.requireRole(userId, projectId, 'viewer');
      const rows = await prisma.project_members.findMany({
        where: { project_id: projectId },
        select: { role: true, user: { select: { id: true, email: true, name: true } } },
        orderBy: [{ created_at: 'asc' }, { user_id: 'asc' }],
      });
      return rows.map((row) => ({
        userId: row.user.id,
        email: row.user.email,
        name: row.user.name,
        role: row.role as Role,
      }));
    },

    async setRole(userId, { projectId, userId: memberId, role }) {
      await withMembershipLock(userId, projectId, 'owner', async (tx) => {
        const current = await memberRole(tx, projectId, memberId);
        if (current === role) return;
        if (current === 'owner')
          await requireAnotherOwner(
            tx,
            projectId,
            memberId,
            `cannot make ${memberId} ${role === 'viewer' ? 'a viewer' : 'an editor'}`,
          );
        await tx.project_members.update({
          where: { project_id_user_id: { project_id: projectId, user_id: memberId } },
          data: { role },
          select: { user_id: true },
        });
      });
      onMemberChanged?.(projectId, memberId);
    },

    async removeMember(userId, { projectId, userId: memberId }) {
      // Anyone may leave; removing someone else takes the owner role.
      const minimum: Role = memberId === userId ? 'viewer' : 'owner';
      await withMembershipLock(userId, projectId, minimum, async (tx) => {
        const current = await memberRole(tx, projectId, memberId);
        if (current === 'owner') {
          await requireAnotherOwner(
            tx,
            projectId,
            memberId,
            memberId === userId ? 'you cannot leave' : `cannot remove ${memberId}`,
          );
        }
        await tx.project_members.delete({
          where: { project_id_user_id: { project_id: projectId, user_id: memberId } },
          select: { user_id: true },
        });
      });
      onMemberChanged?.(projectId, memberId);
    },

    async rename(userId, { projectId, name }) {
      await access.requireRole(userId, projectId, 'owner');
      return prisma.projects.update({ where: { id: projectId }, data: { name }, select: { id: true, name: true } });
    },

    async remove(userId, projectId) {
      const memberIds = await withMembershipLock(userId, projectId, 'owner', async (tx) => {
        await tx.projects.update({
          where: { id: projectId },
          data: { deleted_at: BigInt(now()) },
          select: { id: true },
        });
        const rows = await tx.project_members.findMany({ where: { project_id: projectId }, select: { user_id: true } });
        return rows.map((row) => row.user_id);
      });
      // Every member's grants and sockets go, on every instance: the project now refuses them all.
      for (const memberId of memberIds) onMemberChanged?.(projectId, memberId);
    },
  };
}
