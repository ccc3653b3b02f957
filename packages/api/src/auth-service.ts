import { timingSafeEqual } from 'node:crypto';
import type { Pool, PrismaClient } from '@clapper/db';
import { type Role, roles } from '@clapper/schema';
import { ApiError } from './api-error.ts';
import { newId, newSessionToken, newSignInCode, sha256Hex } from './ids.ts';
import type { Mailer } from './mailer.ts';
import type { MemberCache } from './member-cache.ts';

export interface AuthLimits {
  readonly codeTtlMs: number;
  readonly maxWrongTries: number;
  readonly maxCodesPerWindow: number;
  readonly throttleWindowMs: number;
  readonly sessionTtlMs: number;
}

export const authLimits: AuthLimits = {
  codeTtlMs: 10 * 60_000,
  maxWrongTries: 5,
  /** At most this many codes per email per `throttleWindowMs`. */
  maxCodesPerWindow: 5,
  throttleWindowMs: 10 * 60_000,
  sessionTtlMs: 30 * 24 * 60 * 60_000,
};

export interface User {
  id: string;
  email: string;
  name: string;
}

export interface AuthService {
  requestCode(email: string): Promise<void>;
  verifyCode(email: string, code: string): Promise<{ token: string; user: User }>;
  /** The signed-in user of a bearer token; UNAUTHORIZED when missing, unknown or expired. */
  authenticate(token: string | null | undefined): Promise<User>;
  /**
   * `authenticate` plus the user's role in one project (null: not a member), in one
   * query: every pull and push needs both.
   */
  authenticateMember(token: string | null | undefined, projectId: string): Promise<{ user: User; role: string | null }>;
  /** A member's role in a project changed (here or on another instance): drop what was cached. */
  forgetMember(userId: string, projectId: string): void;
  /** Sets the user's display name, what others see in presence (A7). */
  setName(userId: string, name: string): Promise<User>;
}

export interface AuthServiceOptions {
  prisma: PrismaClient;
  /** For `authenticate`, which runs on every call: plain SQL keeps that path cheap. */
  pool: Pool;
  mailer: Mailer;
  now?: () => number;
  /** Production limits unless overridden (test servers relax the throttle). */
  limits?: Partial<AuthLimits>;
  /** Recent membership grants (R7); without one, every call asks the database. */
  memberCache?: MemberCache;
}

// Advisory-lock namespace for per-email sign-in bookkeeping (second key: hashtext(email)).
const SIGN_IN_LOCK = 7_242_003;

/**
 * Recent tokens' SHA-256, since every call hashes its bearer token again and a device
 * calls several times a second. A plain memo: the token is in this process's memory
 * during each request anyway, and only hashes are ever stored in the database.
 */
class TokenHashes {
  private readonly hashes = new Map<string, string>();

  of(token: string): string {
    let hash = this.hashes.get(token);
    if (hash === undefined) {
      hash = sha256Hex(token);
      // A Map iterates in insertion order: the first key is the oldest entry.
      if (this.hashes.size >= 10_000) this.hashes.delete(this.hashes.keys().next().value as string);
      this.hashes.set(token, hash);
    }
    return hash;
  }
}

/** Salted with the code's own id so equal codes never share a hash. */
function hashCode(codeId: string, code: string): string {
  return sha256Hex(`${codeId}:${code}`);
}

function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}

function isRole(value: string | null): value is Role {
  return value !== null && (roles as readonly string[]).includes(value);
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';
}

export function createAuthService({ prisma, pool, mailer, now = Date.now, limits: overrides, memberCache }: AuthServiceOptions): AuthService {
  const limits: AuthLimits = { ...authLimits, ...overrides };
  const tokenHashes = new TokenHashes();
  /**
   * The session's user (and, with a project, their role there) in one round trip; plain
   * SQL, since every call pays it unless `memberCache` holds a recent grant.
   */
  async function findSession(token: string | null | undefined, projectId: string | null) {
    if (!token) throw new ApiError('UNAUTHORIZED', 'sign in first: no bearer token was sent');
    const tokenHash = tokenHashes.of(token);
    const cached = projectId === null ? undefined : memberCache?.get(tokenHash, projectId);
    if (cached) return { user: cached.user, role: cached.role };
    const ticket = memberCache?.ticket() ?? 0;
    const { rows } = await pool.query<User & { expires_at: number; role: string | null }>({
      name: 'clapper-authenticate',
      text: `SELECT u.id, u.email, u.name, s.expires_at, m.role
             FROM sessions s JOIN users u ON u.id = s.user_id
             LEFT JOIN (project_members m JOIN projects p ON p.id = m.project_id AND p.deleted_at IS NULL)
               ON m.project_id = $2 AND m.user_id = s.user_id
             WHERE s.token_hash = $1`,
      values: [tokenHash, projectId],
    });
    const session = rows[0];
    if (!session) throw new ApiError('UNAUTHORIZED', 'invalid session token; sign in again');
    const expiresAt = Number(session.expires_at);
    if (expiresAt <= now()) throw new ApiError('UNAUTHORIZED', 'session expired; sign in again');
    const user = { id: session.id, email: session.email, name: session.name };
    if (projectId !== null && isRole(session.role)) memberCache?.set(tokenHash, projectId, { user, role: session.role, sessionExpiresAt: expiresAt }, ticket);
    return { user, role: session.role };
  }

  async function findOrCreateUser(email: string): Promise<User> {
    const select = { id: true, email: true, name: true } as const;
    const existing = await prisma.users.findUnique({ where: { email }, select });
    if (existing) return existing;
    try {
      return await prisma.users.create({
        data: { id: newId(), email, name: email.split('@')[0] ?? email, created_at: BigInt(now()) },
        select,
      });
    } catch (error) {
      // Two first sign-ins at once: the other one created the user.
      if (!isUniqueViolation(error)) throw error;
      const user = await prisma.users.findUnique({ where: { email }, select });
      if (!user) throw error;
      return user;
    }
  }

  return {
    async requestCode(rawEmail) {
      const email = normalizeEmail(rawEmail);
      const code = newSignInCode();
      await prisma.$transaction(async (tx) => {
        // Serializes requests for one email so the throttle count can't be raced past.
        await tx.$executeRaw`SELECT 1 FROM pg_advisory_xact_lock(${SIGN_IN_LOCK}::int4, hashtext(${email}))`;
        const at = now();
        const recent = await tx.sign_in_codes.count({
          where: { email, created_at: { gt: BigInt(at - limits.throttleWindowMs) } },
        });
        if (recent >= limits.maxCodesPerWindow) {
          throw new ApiError(
            'TOO_MANY_REQUESTS',
            `too many sign-in codes requested for ${email}: at most ${limits.maxCodesPerWindow} per ${Math.round(limits.throttleWindowMs / 60_000)} minutes; try again later`,
          );
        }
        // A new code supersedes earlier ones: only the latest mail works.
        await tx.sign_in_codes.updateMany({
          where: { email, used_at: null, expires_at: { gt: BigInt(at) } },
          data: { expires_at: BigInt(at) },
        });
        const id = newId();
        await tx.sign_in_codes.create({
          data: {
            id,
            email,
            code_hash: hashCode(id, code),
            created_at: BigInt(at),
            expires_at: BigInt(at + limits.codeTtlMs),
          },
          select: { id: true },
        });
      });
      try {
        await mailer.sendSignInCode(email, code);
      } catch (error) {
        throw new ApiError('SERVICE_UNAVAILABLE', `could not send the sign-in email to ${email}: ${(error as Error).message}`);
      }
    },

    async verifyCode(rawEmail, code) {
      const email = normalizeEmail(rawEmail);
      const at = now();
      const latest = await prisma.sign_in_codes.findFirst({
        where: { email, used_at: null, expires_at: { gt: BigInt(at) } },
        orderBy: { created_at: 'desc' },
        select: { id: true, code_hash: true, attempts: true },
      });
      if (!latest) throw new ApiError('UNAUTHORIZED', `no valid sign-in code for ${email}: it expired or was used; request a new one`);
      if (latest.attempts >= limits.maxWrongTries) {
        throw new ApiError('UNAUTHORIZED', `too many wrong tries for this sign-in code; request a new one`);
      }
      if (!sameHash(hashCode(latest.id, code), latest.code_hash)) {
        await prisma.sign_in_codes.updateMany({
          where: { id: latest.id, attempts: { lt: limits.maxWrongTries } },
          data: { attempts: { increment: 1 } },
        });
        const left = Math.max(0, limits.maxWrongTries - latest.attempts - 1);
        throw new ApiError(
          'UNAUTHORIZED',
          left > 0 ? `wrong sign-in code (${left} ${left === 1 ? 'try' : 'tries'} left)` : 'wrong sign-in code; no tries left, request a new one',
        );
      }
      // Guarded update: of two concurrent correct tries, exactly one wins.
      const claimed = await prisma.sign_in_codes.updateMany({
        where: { id: latest.id, used_at: null, attempts: { lt: limits.maxWrongTries } },
        data: { used_at: BigInt(at) },
      });
      if (claimed.count !== 1) throw new ApiError('UNAUTHORIZED', 'this sign-in code was already used; request a new one');
      const user = await findOrCreateUser(email);
      const token = newSessionToken();
      await prisma.sessions.create({
        data: {
          token_hash: sha256Hex(token),
          user_id: user.id,
          created_at: BigInt(at),
          expires_at: BigInt(at + limits.sessionTtlMs),
        },
        select: { token_hash: true },
      });
      return { token, user };
    },

    async authenticate(token) {
      return (await findSession(token, null)).user;
    },

    authenticateMember(token, projectId) {
      return findSession(token, projectId);
    },

    forgetMember(userId, projectId) {
      memberCache?.forget(userId, projectId);
    },

    async setName(userId, name) {
      const user = await prisma.users.update({ where: { id: userId }, data: { name }, select: { id: true, email: true, name: true } });
      // Cached grants carry the user; the next connection must show the new name.
      memberCache?.forgetUser(userId);
      return user;
    },
  };
}
