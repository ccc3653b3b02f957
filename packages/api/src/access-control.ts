import type { Pool } from '@clapper/db';
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

// Every pull, push and socket passes here: plain SQL on the shared pool, not the ORM
// (a Prisma round trip costs several times a pg one on this path).
export function createAccessControl(pool: Pool): AccessControl {
  async function roleOf(userId: string, projectId: string): Promise<Role | null> {
    const { rows } = await pool.query<{ role: string }>({
      name: 'clapper-role-of',
      // A deleted project has no members as far as access goes (R10).
      text: `SELECT m.role FROM project_members m JOIN projects p ON p.id = m.project_id AND p.deleted_at IS NULL
             WHERE m.project_id = $1 AND m.user_id = $2`,
      values: [projectId, userId],
    });
    const role = rows[0]?.role;
    return role !== undefined && isRole(role) ? role : null;
  }
  return {
    roleOf,
    async requireRole(userId, projectId, minimum) {
      return requireRank(await roleOf(userId, projectId), projectId, minimum);
    },
  };
}

/** `role` when it is at least `minimum`, else FORBIDDEN (a non-member and an unknown project alike). */
export function requireRank(role: string | null, projectId: string, minimum: Role): Role {
  if (role === null || !isRole(role)) throw new ApiError('FORBIDDEN', `you are not a member of project ${projectId}`);
  if (rank[role] < rank[minimum]) {
    throw new ApiError(
      'FORBIDDEN',
      `project ${projectId}: this needs the ${minimum} role, you are ${role === 'viewer' ? 'a viewer' : `an ${role}`}`,
    );
  }
  return role;
}
