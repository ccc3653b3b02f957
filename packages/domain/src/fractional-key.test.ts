import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { FractionalKeyError, compareKeys, isValidKey, keyBetween, keysBetween } from './fractional-key.ts';

/** A sorted list of valid keys built the way the app builds them: random inserts. */
const keyList = fc.array(fc.nat(), { minLength: 0, maxLength: 40 }).map((positions) => {
  const keys: string[] = [];
  for (const position of positions) {
    const index = keys.length === 0 ? 0 : position % (keys.length + 1);
    keys.splice(index, 0, keyBetween(keys[index - 1] ?? null, keys[index] ?? null));
  }
  return keys;
});

describe('fractional keys', () => {
  test('[K2] the first key of an empty list is short and valid', () => {
    const key = keyBetween(null, null);
    expect(key).toBe('a0');
    expect(isValidKey(key)).toBe(true);
  });

  test('[K1] a key inserted between any two neighbours sorts strictly between them', () => {
    fc.assert(
      fc.property(keyList, fc.nat(), (keys, position) => {
        const index = position % (keys.length + 1);
        const before = keys[index - 1] ?? null;
        const after = keys[index] ?? null;
        const key = keyBetween(before, after);
        expect(isValidKey(key)).toBe(true);
        if (before !== null) expect(before < key).toBe(true);
        if (after !== null) expect(key < after).toBe(true);
      }),
    );
  });

  test('[K1] lists built by random inserts stay sorted by plain ordinal comparison', () => {
    fc.assert(
      fc.property(keyList, (keys) => {
        expect([...keys].sort(compareKeys)).toEqual(keys);
        expect(new Set(keys).size).toBe(keys.length);
      }),
    );
  });

  test('[K3] a director inserting 200 shots at the same spot keeps keys valid and short-ish', () => {
    const first = keyBetween(null, null);
    let after = keyBetween(first, null);
    for (let i = 0; i < 200; i++) {
      const key = keyBetween(first, after);
      expect(first < key && key < after).toBe(true);
      after = key;
    }
    // ~log2(62) ≈ 6 inserts per extra character
    expect(after.length).toBeLessThanOrEqual(2 + Math.ceil(200 / 5));
  });

  test('[K3] appending 10,000 shots at the end keeps keys at most 4 characters', () => {
    let last: string | null = null;
    for (let i = 0; i < 10_000; i++) {
      const key = keyBetween(last, null);
      if (last !== null) expect(last < key).toBe(true);
      last = key;
    }
    expect(last!.length).toBeLessThanOrEqual(4);
  });

  test('[K1] prepending repeatedly keeps sorting before the previous first key', () => {
    let first: string | null = null;
    for (let i = 0; i < 5_000; i++) {
      const key = keyBetween(null, first);
      if (first !== null) expect(key < first).toBe(true);
      first = key;
    }
  });

  test('[K5] n keys for a bulk insert are sorted, distinct and between the neighbours', () => {
    fc.assert(
      fc.property(keyList, fc.nat(), fc.integer({ min: 0, max: 60 }), (keys, position, n) => {
        const index = position % (keys.length + 1);
        const before = keys[index - 1] ?? null;
        const after = keys[index] ?? null;
        const batch = keysBetween(before, after, n);
        expect(batch).toHaveLength(n);
        expect([...batch].sort(compareKeys)).toEqual(batch);
        expect(new Set(batch).size).toBe(n);
        for (const key of batch) {
          expect(isValidKey(key)).toBe(true);
          if (before !== null) expect(before < key).toBe(true);
          if (after !== null) expect(key < after).toBe(true);
        }
      }),
    );
  });

  test('[K4] keys out of order or malformed are refused with a clear error', () => {
    expect(() => keyBetween('a1', 'a0')).toThrow(FractionalKeyError);
    expect(() => keyBetween('a1', 'a1')).toThrow(/not below/);
    expect(() => keyBetween('a10', null)).toThrow(/ends in 0/);
    expect(() => keyBetween('a!', null)).toThrow(/base-62/);
    expect(() => keyBetween('b0', null)).toThrow(/too short/);
  });

  test('[K1] ordinal order differs from locale order, and keys use the ordinal one', () => {
    const upper = 'aZ';
    const lower = 'aa';
    expect(upper < lower).toBe(true);
    expect(keyBetween(upper, lower) > upper).toBe(true);
  });
});
