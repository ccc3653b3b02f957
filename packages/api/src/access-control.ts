import type { PrismaClient } from '@clapper/db';
import { type Role, roles } from '@clapper/schema';
import { ApiError } from './api-error.ts';

const rank: Record<Role, number> = { viewer: 1, editor: 2, owner: 3 };

function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}

export interface AccessControl {
  /** The caller's role, or null when not a member (or no such project: indistinguishable). */
  roleOf(userId: string, projectId: string): Promise<Role | null>;
  /**
   * The one gate for project access (sync, members, sockets, Yjs): returns the caller's
   * role when it is at least `minimum`, else FORBIDDEN. Non-members and unknown projects
   * get the same answer, so ids can't be probed.
   */
  requireRole(userId: string, projectId: string, minimum: Role): Promise<Role>;
}

export function createAccessControl(prisma: PrismaClient): AccessControl {
  async function roleOf(userId: string, projectId: string): Promise<Role | null> {
    const member = await prisma.project_members.findUnique({
      where: { project_id_user_id: { project_id: projectId, user_id: userId } },
      select: { role: true },
    });
    return member && isRole(member.role) ? member.role : null;
  }
  return {
    roleOf,
    async requireRole(userId, projectId, minimum) {
      const role = await roleOf(userId, projectId);
      if (role === null) throw new ApiError('FORBIDDEN', `you are not a member of project ${projectId}`);
      if (rank[role] < rank[minimum]) {
        throw new ApiError('FORBIDDEN', `project ${projectId}: this needs the ${minimum} role, you are ${role === 'viewer' ? 'a viewer' : `an ${role}`}`);
      }
      return role;
    },
  };
}
