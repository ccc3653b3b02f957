import type { PrismaClient } from '@clapper/db';
import type { Role } from '@clapper/schema';
import type { AccessControl } from './access-control.ts';
import { ApiError } from './api-error.ts';
import { normalizeEmail } from './auth-service.ts';
import { newId } from './ids.ts';

export interface ProjectSummary {
  id: string;
  name: string;
  role: Role;
}

export interface ProjectsService {
  create(userId: string, name: string): Promise<{ id: string; name: string }>;
  list(userId: string): Promise<ProjectSummary[]>;
  /** Owner only. An unknown email gets a user now, so they can sign in later and find the project. */
  addMember(userId: string, input: { projectId: string; email: string; role: Role }): Promise<{ userId: string }>;
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';
}

export function createProjectsService({
  prisma,
  access,
  now = Date.now,
  onMemberChanged,
}: {
  prisma: PrismaClient;
  /** After a member was added or their role changed (cached grants must go, R7). */
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
        where: { user_id: userId },
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
      await prisma.project_members.upsert({
        where: { project_id_user_id: { project_id: projectId, user_id: memberId } },
        create: { project_id: projectId, user_id: memberId, role, created_at: BigInt(now()) },
        update: { role },
        select: { user_id: true },
      });
      onMemberChanged?.(projectId, memberId);
      return { userId: memberId };
    },
  };
}
