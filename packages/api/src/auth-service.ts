import { timingSafeEqual } from 'node:crypto';
import type { Pool, PrismaClient } from '@clapper/db';
import { type Role, roles } from '@clapper/schema';
import { ApiError } from './api-error.ts';
import { newId, newSessionToken, newSignInCode, sha256Hex } from './ids.ts';
import type { Mailer } from './mailer.ts';
import type { MemberCache } from './member-cache.ts';
import { type ThrottleBucket, createSignInThrottle } from './sign-in-throttle.ts';

export interface AuthLimits {
  readonly codeTtlMs: number;
  /** Every sign-in counter below counts per fixed window of this length. */
  readonly throttleWindowMs: number;
  /** Codes one address may request for one email per window (the owner of the email's own budget). */
  readonly maxCodesPerEmailAndAddress: number;
  /** Codes requested for one email from all addresses together per window: only many addresses reach it. */
  readonly maxCodesPerEmail: number;
  /** Codes one address may request across all emails per window. */
  readonly maxCodesPerAddress: number;
  /** Wrong tries of one code from one address; then the code stops working for that address. */
  readonly maxWrongTriesPerCodeAndAddress: number;
  /** Wrong codes for one email from all addresses together per window. */
  readonly maxWrongCodesPerEmail: number;
  /** Wrong codes from one address across all emails per window. */
  readonly maxWrongCodesPerAddress: number;
  readonly sessionTtlMs: number;
}

/** Production limits; the contract (docs/protocol.md, A3/A4) states them. */
export const authLimits: AuthLimits = {
  codeTtlMs: 10 * 60_000,
  throttleWindowMs: 10 * 60_000,
  maxCodesPerEmailAndAddress: 5,
  maxCodesPerEmail: 30,
  maxCodesPerAddress: 30,
  maxWrongTriesPerCodeAndAddress: 5,
  maxWrongCodesPerEmail: 30,
  maxWrongCodesPerAddress: 30,
  sessionTtlMs: 30 * 24 * 60 * 60_000,
};

export interface User {
  id: string;
  email: string;
  name: string;
}

export interface AuthService {
  /** `address`: the requester's, as `clientAddress` reads it; the sign-in limits count per address (A4). */
  requestCode(email: string, address: string): Promise<void>;
  verifyCode(email: string, code: string, address: string): Promise<{ token: string; user: User }>;
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

/** "3 minutes": until the current throttle window ends. */
function minutesLeft(windowStart: number, at: number, windowMs = authLimits.throttleWindowMs): string {
  const minutes = Math.max(1, Math.ceil((windowStart + windowMs - at) / 60_000));
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';
}

export function createAuthService({
  prisma,
  pool,
  mailer,
  now = Date.now,
  limits: overrides,
  memberCache,
}: AuthServiceOptions): AuthService {
  const limits: AuthLimits = { ...authLimits, ...overrides };
  const throttle = createSignInThrottle(pool);
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
    if (projectId !== null && isRole(session.role))
      memberCache?.set(tokenHash, projectId, { user, role: session.role, sessionExpiresAt: expiresAt }, ticket);
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
    async requestCode(rawEmail, address) {
      const email = normalizeEmail(rawEmail);
      const code = newSignInCode();
      const at = now();
      const windowStart = at - (at % limits.throttleWindowMs);
      if (Math.random() < 0.02) await throttle.prune(windowStart - limits.throttleWindowMs - limits.codeTtlMs);
      // Narrowest first: a bucket that refuses stops the count, so a stranger who hits their
      // own (email, address) limit never spends the email's shared ceiling.
      const buckets: Array<[ThrottleBucket, string]> = [
        [{ key: `code:address:${address}`, windowStart, limit: limits.maxCodesPerAddress }, 'from your network'],
        [
          { key: `code:email-address:${email}|${address}`, windowStart, limit: limits.maxCodesPerEmailAndAddress },
          `for ${email}`,
        ],
        [{ key: `code:email:${email}`, windowStart, limit: limits.maxCodesPerEmail }, `for ${email}`],
      ];
      for (const [bucket, scope] of buckets) {
        if ((await throttle.take(bucket)) === null) {
          throw new ApiError(
            'TOO_MANY_REQUESTS',
            `too many sign-in codes requested ${scope}; try again in ${minutesLeft(windowStart, at, limits.throttleWindowMs)}`,
          );
        }
      }
      // A new code supersedes the earlier ones requested from the same address only, so a
      // stranger's request never kills the code the owner of the email is about to type.
      // One statement: no interactive transaction to wait for a pool connection.
      const id = newId();
      await pool.query({
        name: 'clapper-new-sign-in-code',
        text: `WITH superseded AS (
                 UPDATE sign_in_codes SET expires_at = $5
                 WHERE email = $2 AND requested_from = $4 AND used_at IS NULL AND expires_at > $5
               )
               INSERT INTO sign_in_codes (id, email, code_hash, attempts, created_at, expires_at, requested_from)
               VALUES ($1, $2, $3, 0, $5, $6, $4)`,
        values: [id, email, hashCode(id, code), address, at, at + limits.codeTtlMs],
      });
      try {
        await mailer.sendSignInCode(email, code);
      } catch (error) {
        throw new ApiError(
          'SERVICE_UNAVAILABLE',
          `could not send the sign-in email to ${email}: ${(error as Error).message}`,
        );
      }
    },

    async verifyCode(rawEmail, code, address) {
      const email = normalizeEmail(rawEmail);
      const at = now();
      const live = { email, used_at: null, expires_at: { gt: BigInt(at) } };
      const select = { id: true, code_hash: true, created_at: true } as const;
      // The code this address asked for, else the email's latest (typed on another device).
      const latest =
        (await prisma.sign_in_codes.findFirst({
          where: { ...live, requested_from: address },
          orderBy: { created_at: 'desc' },
          select,
        })) ?? (await prisma.sign_in_codes.findFirst({ where: live, orderBy: { created_at: 'desc' }, select }));
      if (!latest)
        throw new ApiError(
          'UNAUTHORIZED',
          `no valid sign-in code for ${email}: it expired or was used; request a new one`,
        );
      const windowStart = at - (at % limits.throttleWindowMs);
      // Every try takes a wrong-try slot before the code is compared (so concurrent guesses
      // can't pass a limit); a right code gives its slots back.
      const addressBucket: ThrottleBucket = {
        key: `wrong:address:${address}`,
        windowStart,
        limit: limits.maxWrongCodesPerAddress,
      };
      const emailBucket: ThrottleBucket = {
        key: `wrong:email:${email}`,
        windowStart,
        limit: limits.maxWrongCodesPerEmail,
      };
      const codeBucket: ThrottleBucket = {
        key: `wrong:code-address:${latest.id}|${address}`,
        windowStart: Number(latest.created_at),
        limit: limits.maxWrongTriesPerCodeAndAddress,
      };
      if ((await throttle.take(addressBucket)) === null) {
        throw new ApiError(
          'TOO_MANY_REQUESTS',
          `too many wrong sign-in codes from your network; try again in ${minutesLeft(windowStart, at, limits.throttleWindowMs)}`,
        );
      }
      if ((await throttle.take(emailBucket)) === null) {
        throw new ApiError(
          'TOO_MANY_REQUESTS',
          `too many wrong sign-in codes for ${email}; try again in ${minutesLeft(windowStart, at, limits.throttleWindowMs)}`,
        );
      }
      const tries = await throttle.take(codeBucket);
      if (tries === null) {
        // Nothing was compared: this try doesn't count against the wider limits.
        await Promise.all([throttle.giveBack(addressBucket), throttle.giveBack(emailBucket)]);
        throw new ApiError('UNAUTHORIZED', 'too many wrong tries for this sign-in code; request a new one');
      }
      if (!sameHash(hashCode(latest.id, code), latest.code_hash)) {
        await prisma.sign_in_codes.updateMany({ where: { id: latest.id }, data: { attempts: { increment: 1 } } });
        const left = limits.maxWrongTriesPerCodeAndAddress - tries;
        throw new ApiError(
          'UNAUTHORIZED',
          left > 0
            ? `wrong sign-in code (${left} ${left === 1 ? 'try' : 'tries'} left)`
            : 'wrong sign-in code; no tries left, request a new one',
        );
      }
      await Promise.all([
        throttle.giveBack(addressBucket),
        throttle.giveBack(emailBucket),
        throttle.giveBack(codeBucket),
      ]);
      // Guarded update: of two concurrent correct tries, exactly one wins.
      const claimed = await prisma.sign_in_codes.updateMany({
        where: { id: latest.id, used_at: null },
        data: { used_at: BigInt(at) },
      });
      if (claimed.count !== 1)
        throw new ApiError('UNAUTHORIZED', 'this sign-in code was already used; request a new one');
      // Signed in: the email's other live codes (other addresses, earlier requests) are void.
      await prisma.sign_in_codes.updateMany({ where: live, data: { expires_at: BigInt(at) } });
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
      const user = await prisma.users.update({
        where: { id: userId },
        data: { name },
        select: { id: true, email: true, name: true },
      });
      // Cached grants carry the user; the next connection must show the new name.
      memberCache?.forgetUser(userId);
      return user;
    },
  };
}
