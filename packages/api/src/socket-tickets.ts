import type { Pool } from '@clapper/db';
import { ApiError } from './api-error.ts';
import type { AuthService, User } from './auth-service.ts';
import { newSessionToken, sha256Hex } from './ids.ts';

export const socketTicketLimits = {
  /** Long enough for a client to open its socket after asking, short enough that a logged URL is dead. */
  ttlMs: 30_000,
} as const;

export interface SocketTicket {
  ticket: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

export interface RedeemedTicket {
  user: User;
  /** The project the ticket was issued for; null: any of the user's projects. */
  projectId: string | null;
  /** The user's role in the project asked about at redemption (null: not a member, or none asked). */
  role: string | null;
}

export interface SocketTickets {
  /** A new ticket for the session of `token` (a member of `projectId` when given). */
  issue(token: string | null, projectId: string | null): Promise<SocketTicket>;
  /**
   * Spends a ticket: UNAUTHORIZED when missing, unknown, already used or expired (or its
   * session is gone); FORBIDDEN when it was issued for another project than `projectId`.
   */
  redeem(ticket: string | null, projectId: string | null): Promise<RedeemedTicket>;
}

export interface SocketTicketsOptions {
  pool: Pool;
  auth: AuthService;
  ttlMs?: number;
  now?: () => number;
}

const ticketPattern = /^[A-Za-z0-9_-]{20,100}$/;

/**
 * Tickets live in PostgreSQL, hashed, so whichever instance the load balancer picks for the
 * upgrade can redeem one another instance issued; redemption deletes the row, so a ticket
 * opens one socket at most even when two instances race for it.
 */
export function createSocketTickets({
  pool,
  auth,
  ttlMs = socketTicketLimits.ttlMs,
  now = Date.now,
}: SocketTicketsOptions): SocketTickets {
  return {
    async issue(token, projectId) {
      if (projectId === null) await auth.authenticate(token);
      else {
        const { role } = await auth.authenticateMember(token, projectId);
        if (role === null) throw new ApiError('FORBIDDEN', `not a member of project ${projectId}`);
      }
      const ticket = newSessionToken();
      const at = now();
      const expiresAt = at + ttlMs;
      // Expired tickets are swept by the issuers (an index range that is almost always empty).
      await pool.query({
        name: 'clapper-issue-socket-ticket',
        text: `WITH swept AS (DELETE FROM socket_tickets WHERE expires_at < $5)
               INSERT INTO socket_tickets (ticket_hash, session_hash, project_id, expires_at) VALUES ($1, $2, $3, $4)`,
        values: [sha256Hex(ticket), sha256Hex(token ?? ''), projectId, expiresAt, at],
      });
      return { ticket, expiresAt };
    },

    async redeem(ticket, projectId) {
      if (!ticket) {
        throw new ApiError(
          'UNAUTHORIZED',
          'no ticket: open WebSockets with ?ticket= from auth.socketTicket (tokens are not accepted in URLs)',
        );
      }
      if (!ticketPattern.test(ticket))
        throw new ApiError('UNAUTHORIZED', 'malformed ticket; get a fresh one from auth.socketTicket');
      const { rows } = await pool.query<
        User & { ticket_expires_at: string; session_expires_at: string; project_id: string | null; role: string | null }
      >({
        name: 'clapper-redeem-socket-ticket',
        text: `WITH spent AS (DELETE FROM socket_tickets WHERE ticket_hash = $1 RETURNING session_hash, project_id, expires_at)
               SELECT u.id, u.email, u.name, spent.expires_at AS ticket_expires_at, s.expires_at AS session_expires_at,
                      spent.project_id, m.role
               FROM spent JOIN sessions s ON s.token_hash = spent.session_hash JOIN users u ON u.id = s.user_id
               LEFT JOIN (project_members m JOIN projects p ON p.id = m.project_id AND p.deleted_at IS NULL)
                 ON m.project_id = $2 AND m.user_id = u.id`,
        values: [sha256Hex(ticket), projectId],
      });
      const row = rows[0];
      const at = now();
      if (!row || Number(row.ticket_expires_at) <= at) {
        throw new ApiError(
          'UNAUTHORIZED',
          `unknown, used or expired ticket (tickets are single use and live ${Math.round(ttlMs / 1000)} s); get a fresh one from auth.socketTicket`,
        );
      }
      if (Number(row.session_expires_at) <= at) throw new ApiError('UNAUTHORIZED', 'session expired; sign in again');
      if (row.project_id !== null && projectId !== null && row.project_id !== projectId) {
        throw new ApiError('FORBIDDEN', `this ticket was issued for project ${row.project_id}, not ${projectId}`);
      }
      return { user: { id: row.id, email: row.email, name: row.name }, projectId: row.project_id, role: row.role };
    },
  };
}
