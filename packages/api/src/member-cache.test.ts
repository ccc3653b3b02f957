import { expect, test } from 'vitest';
import { MemberCache } from './member-cache.ts';

const user = { id: 'u1', email: 'gaffer@example.com', name: 'gaffer' };

function cacheAt(start: number, ttlMs = 1_000, maxEntries?: number) {
  let now = start;
  const cache = new MemberCache({ ttlMs, maxEntries, now: () => now });
  return { cache, advance: (ms: number) => (now += ms) };
}

test('[R7] a grant is trusted for ttlMs, then asked again', () => {
  const { cache, advance } = cacheAt(0);
  cache.set('token-a', 'p1', { user, role: 'editor', sessionExpiresAt: 1_000_000 });
  advance(999);
  expect(cache.get('token-a', 'p1')).toMatchObject({ role: 'editor', user });
  expect(cache.get('token-a', 'p2')).toBeUndefined();
  expect(cache.get('token-b', 'p1')).toBeUndefined();
  advance(1);
  expect(cache.get('token-a', 'p1')).toBeUndefined();
  expect(cache.size).toBe(0);
});

test('[R7] an expired session is never served from the cache', () => {
  const { cache, advance } = cacheAt(0, 60_000);
  cache.set('token-a', 'p1', { user, role: 'owner', sessionExpiresAt: 500 });
  expect(cache.get('token-a', 'p1')).toBeDefined();
  advance(500);
  expect(cache.get('token-a', 'p1')).toBeUndefined();
});

test('[R7] forget drops every session of that member in that project, and only those', () => {
  const { cache } = cacheAt(0);
  const other = { id: 'u2', email: 'grip@example.com', name: 'grip' };
  cache.set('laptop', 'p1', { user, role: 'editor', sessionExpiresAt: 1e12 });
  cache.set('tablet', 'p1', { user, role: 'editor', sessionExpiresAt: 1e12 });
  cache.set('laptop', 'p2', { user, role: 'editor', sessionExpiresAt: 1e12 });
  cache.set('phone', 'p1', { user: other, role: 'viewer', sessionExpiresAt: 1e12 });
  cache.forget('u1', 'p1');
  expect(cache.get('laptop', 'p1')).toBeUndefined();
  expect(cache.get('tablet', 'p1')).toBeUndefined();
  expect(cache.get('laptop', 'p2')).toBeDefined();
  expect(cache.get('phone', 'p1')).toBeDefined();
});

test('[R7] the cache stays within maxEntries, dropping the oldest; ttl 0 keeps nothing', () => {
  const { cache } = cacheAt(0, 1_000, 2);
  for (const token of ['a', 'b', 'c']) cache.set(token, 'p1', { user, role: 'viewer', sessionExpiresAt: 1e12 });
  expect(cache.size).toBe(2);
  expect(cache.get('a', 'p1')).toBeUndefined();
  expect(cache.get('c', 'p1')).toBeDefined();
  const off = cacheAt(0, 0).cache;
  off.set('a', 'p1', { user, role: 'viewer', sessionExpiresAt: 1e12 });
  expect(off.size).toBe(0);
});

test('[R7] a read that started before a forget of its member is not cached after it', () => {
  const { cache } = cacheAt(0, 60_000);
  const ticket = cache.ticket();
  // The role is changed (and forgotten) while the read is in flight...
  cache.forget('u1', 'p1');
  // ...so what that read saw is already stale.
  cache.set('token-a', 'p1', { user, role: 'editor', sessionExpiresAt: 1_000_000 }, ticket);
  expect(cache.get('token-a', 'p1')).toBeUndefined();
  // A read that started after the forget is kept; other members and projects are unaffected.
  cache.set('token-a', 'p1', { user, role: 'viewer', sessionExpiresAt: 1_000_000 }, cache.ticket());
  expect(cache.get('token-a', 'p1')).toMatchObject({ role: 'viewer' });
  cache.set('token-a', 'p2', { user, role: 'editor', sessionExpiresAt: 1_000_000 }, ticket);
  expect(cache.get('token-a', 'p2')).toMatchObject({ role: 'editor' });
});
