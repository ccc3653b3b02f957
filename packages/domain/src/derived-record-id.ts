/**
 * Record ids made from what a record is about (a person's call on one call sheet), so two
 * devices creating "the same" record offline create one record whose columns merge, not two
 * records competing for one row on the sheet. 128 bits of two FNV-1a hashes, base 36:
 * within the sync protocol's id alphabet and length.
 */
const mask64 = (1n << 64n) - 1n;
const prime64 = 0x100000001b3n;

function fnv1a64(text: string, basis: bigint): bigint {
  let hash = basis;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= BigInt(byte);
    hash = (hash * prime64) & mask64;
  }
  return hash;
}

/** A stable id for the record of `kind` about `parts` (each an id): the same inputs, the same id. */
export function derivedRecordId(kind: string, ...parts: readonly string[]): string {
  // Lengths first, so ('ab','c') and ('a','bc') never hash alike.
  const key = [kind, ...parts].map((part) => `${part.length}:${part}`).join('|');
  const high = fnv1a64(key, 0xcbf29ce484222325n);
  const low = fnv1a64(key, 0x84222325cbf29ce4n);
  return `${kind}-${high.toString(36).padStart(13, '0')}${low.toString(36).padStart(13, '0')}`;
}
