/**
 * Recent "this session belongs to a member of this project, with this role" answers, so a
 * device that pulls and pushes several times a second doesn't pay an auth round trip each
 * time (R7). Only grants are kept: a refusal is asked again every time, so a new member
 * or a fresh session works at once. A role change forgets the member's entries here at
 * once and, through the access-change fan-out, on every other instance; `ttlMs` bounds how
 * long an instance that missed that message acts on the old role. The session's expiry is
 * checked on every hit.
 */
import type { Role } from '@clapper/schema';
import type { User } from './auth-service.ts';

export interface CachedMember {
  readonly user: User;
  readonly role: Role;
  readonly sessionExpiresAt: number;
}

interface Entry extends CachedMember {
  readonly cachedAt: number;
}

export interface MemberCacheOptions {
  /** How long an answer is trusted; 0 turns the cache off. */
  ttlMs: number;
  /** Past this, the oldest entries make room. */
  maxEntries?: number;
  now?: () => number;
}

export class MemberCache {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly now: () => number;
  /** Bumped by every `forget`; a read that started before a forget of its member isn't cached. */
  private generation = 0;
  /** `userId\0projectId` -> generation of its last forget, while a read that started before it could still finish. */
  private readonly forgotten = new Map<string, { generation: number; at: number }>();

  constructor(private readonly options: MemberCacheOptions) {
    this.maxEntries = options.maxEntries ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  get(tokenHash: string, projectId: string): CachedMember | undefined {
    const key = keyOf(tokenHash, projectId);
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    const now = this.now();
    if (now - entry.cachedAt >= this.options.ttlMs || entry.sessionExpiresAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  /**
   * Take before reading the database; pass to `set`. A membership change committed while
   * the read was in flight may have been forgotten already: its answer must not be kept.
   */
  ticket(): number {
    return this.generation;
  }

  set(tokenHash: string, projectId: string, member: CachedMember, ticket = this.generation): void {
    if (this.options.ttlMs <= 0) return;
    const forgotten = this.forgotten.get(keyOf(member.user.id, projectId));
    if (forgotten && forgotten.generation > ticket) return;
    const key = keyOf(tokenHash, projectId);
    this.entries.delete(key);
    // A Map iterates in insertion order: the first key is the oldest entry.
    while (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { ...member, cachedAt: this.now() });
  }

  /** The member's role in the project changed: ask the database next time. */
  forget(userId: string, projectId: string): void {
    this.generation += 1;
    const now = this.now();
    // Delete first so the Map's order stays oldest-first (the loop below relies on it).
    this.forgotten.delete(keyOf(userId, projectId));
    this.forgotten.set(keyOf(userId, projectId), { generation: this.generation, at: now });
    // A read slower than a minute is long dead (the pool's queries time out well before).
    for (const [key, mark] of this.forgotten) {
      if (now - mark.at < 60_000) break;
      this.forgotten.delete(key);
    }
    const prefix = keyOf('', projectId);
    for (const [key, entry] of this.entries) {
      if (entry.user.id === userId && key.startsWith(prefix)) this.entries.delete(key);
    }
  }

  /** The user's details changed (their name): ask the database next time, for every project. */
  forgetUser(userId: string): void {
    for (const [key, entry] of this.entries) {
      if (entry.user.id === userId) this.entries.delete(key);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}

function keyOf(tokenHash: string, projectId: string): string {
  return `${projectId}\u0000${tokenHash}`;
}
