import type { SyncChanges } from '@clapper/schema';

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === 'object' && value !== null) {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) sorted[key] = canonical((value as Record<string, unknown>)[key]);
    return sorted;
  }
  return value;
}

const byId = (a: { id: string }, b: { id: string }): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * A stable text form of a change set: tables, records and keys sorted, so the same
 * local changes read twice (in any order) give the same string.
 */
export function canonicalChanges(changes: SyncChanges): string {
  const normalized: Record<string, unknown> = {};
  for (const table of Object.keys(changes).sort()) {
    const tableChanges = changes[table];
    if (!tableChanges) continue;
    const { created, updated, deleted } = tableChanges;
    if (created.length === 0 && updated.length === 0 && deleted.length === 0) continue;
    normalized[table] = {
      created: [...created].sort(byId).map(canonical),
      updated: [...updated].sort(byId).map(canonical),
      deleted: [...deleted].sort(),
    };
  }
  return JSON.stringify(normalized);
}

/**
 * SHA-256 of the canonical change set. A collision would make a different push reuse
 * an applied pushId and be dropped by the server, so a short non-cryptographic hash is
 * not good enough; without WebCrypto (insecure browser origins) the text itself is kept.
 */
export async function hashChanges(changes: SyncChanges): Promise<string> {
  const text = canonicalChanges(changes);
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return `text:${text}`;
  const digest = await subtle.digest('SHA-256', new TextEncoder().encode(text));
  const hex = Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `sha256:${hex}`;
}

/** A fresh pushId: unique per push attempt that carries new changes. */
export function newPushId(): string {
  const cryptoApi = globalThis.crypto;
  if (cryptoApi && typeof cryptoApi.randomUUID === 'function') return cryptoApi.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
}
