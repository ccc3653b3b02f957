/**
 * Base-62 fractional ordering keys (the scheme of rocicorp/fractional-indexing).
 *
 * A key is an "integer part" whose length is encoded by its head character
 * (`a`..`z` -> 2..27 chars, `A`..`Z` -> 27..2 chars, for smaller values) followed by an
 * optional fraction that never ends in `0`. Keys sort with plain ordinal string
 * comparison (`<`, or `compareKeys`), never `localeCompare`: `'a' < 'B'` is false
 * ordinally but true in most locales.
 *
 * Appending at either end only bumps the integer part, so a list that grows at its end
 * keeps keys of two or three characters; inserting repeatedly at one spot grows the key
 * by about one character per six inserts.
 */
export const keyDigits = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

const zero = keyDigits[0] as string;
const smallestInteger = 'A' + zero.repeat(26);

export type FractionalKeyErrorCode = 'INVALID_KEY' | 'KEYS_OUT_OF_ORDER' | 'KEY_SPACE_EXHAUSTED';

export class FractionalKeyError extends Error {
  constructor(
    readonly code: FractionalKeyErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'FractionalKeyError';
  }
}

/** Ordinal comparison: the one order keys (and ids used as tie-breaks) are sorted by. */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function digitValue(char: string | undefined): number {
  return char === undefined ? -1 : keyDigits.indexOf(char);
}

function integerLength(head: string): number {
  if (head >= 'a' && head <= 'z') return head.charCodeAt(0) - 'a'.charCodeAt(0) + 2;
  if (head >= 'A' && head <= 'Z') return 'Z'.charCodeAt(0) - head.charCodeAt(0) + 2;
  throw new FractionalKeyError('INVALID_KEY', `invalid order key head '${head}'`);
}

function integerPart(key: string): string {
  const length = integerLength(key.charAt(0));
  if (length > key.length) throw new FractionalKeyError('INVALID_KEY', `invalid order key '${key}': integer part too short`);
  return key.slice(0, length);
}

/** True when `key` is a well-formed order key. */
export function isValidKey(key: string): boolean {
  try {
    validateKey(key);
    return true;
  } catch {
    return false;
  }
}

function validateKey(key: string): void {
  if (key === smallestInteger) throw new FractionalKeyError('INVALID_KEY', `invalid order key '${key}'`);
  for (const char of key) {
    if (digitValue(char) < 0) throw new FractionalKeyError('INVALID_KEY', `invalid order key '${key}': '${char}' is not base-62`);
  }
  const int = integerPart(key);
  if (key.length > int.length && key.endsWith(zero)) {
    throw new FractionalKeyError('INVALID_KEY', `invalid order key '${key}': fraction ends in 0`);
  }
}

/** A digit string strictly between fractions a and b (b null = 1), with no trailing zero. */
function midpoint(a: string, b: string | null): string {
  if (b !== null) {
    let n = 0;
    while ((a[n] ?? zero) === b[n]) n++;
    if (n > 0) return b.slice(0, n) + midpoint(a.slice(n), b.slice(n));
  }
  const digitA = a.length > 0 ? digitValue(a[0]) : 0;
  const digitB = b !== null ? digitValue(b[0]) : keyDigits.length;
  if (digitB - digitA > 1) return keyDigits[Math.round((digitA + digitB) / 2)] as string;
  if (b !== null && b.length > 1) return b.slice(0, 1);
  return (keyDigits[digitA] as string) + midpoint(a.slice(1), null);
}

function incrementInteger(int: string): string | null {
  const head = int.charAt(0);
  const digits = int.slice(1).split('');
  let carry = true;
  for (let i = digits.length - 1; carry && i >= 0; i--) {
    const next = digitValue(digits[i]) + 1;
    if (next === keyDigits.length) digits[i] = zero;
    else {
      digits[i] = keyDigits[next] as string;
      carry = false;
    }
  }
  if (!carry) return head + digits.join('');
  if (head === 'Z') return 'a' + zero;
  if (head === 'z') return null;
  const nextHead = String.fromCharCode(head.charCodeAt(0) + 1);
  if (nextHead > 'a') digits.push(zero);
  else digits.pop();
  return nextHead + digits.join('');
}

function decrementInteger(int: string): string | null {
  const head = int.charAt(0);
  const digits = int.slice(1).split('');
  const top = keyDigits[keyDigits.length - 1] as string;
  let borrow = true;
  for (let i = digits.length - 1; borrow && i >= 0; i--) {
    const next = digitValue(digits[i]) - 1;
    if (next === -1) digits[i] = top;
    else {
      digits[i] = keyDigits[next] as string;
      borrow = false;
    }
  }
  if (!borrow) return head + digits.join('');
  if (head === 'a') return 'Z' + top;
  if (head === 'A') return null;
  const nextHead = String.fromCharCode(head.charCodeAt(0) - 1);
  if (nextHead < 'Z') digits.push(top);
  else digits.pop();
  return nextHead + digits.join('');
}

/**
 * A key strictly between `a` and `b` (null = open end). Throws FractionalKeyError when a
 * key is malformed or `a >= b`. Two devices inserting at one spot can produce equal keys;
 * lists break that tie by id, and movers pick the next strictly greater neighbour.
 */
export function keyBetween(a: string | null, b: string | null): string {
  if (a !== null) validateKey(a);
  if (b !== null) validateKey(b);
  if (a !== null && b !== null && a >= b) {
    throw new FractionalKeyError('KEYS_OUT_OF_ORDER', `order key '${a}' is not below '${b}'`);
  }
  if (a === null) {
    if (b === null) return 'a' + zero;
    const intB = integerPart(b);
    const fracB = b.slice(intB.length);
    if (intB === smallestInteger) return intB + midpoint('', fracB);
    if (intB < b) return intB;
    const lower = decrementInteger(intB);
    if (lower === null) throw new FractionalKeyError('KEY_SPACE_EXHAUSTED', 'cannot order a key before the smallest key');
    return lower;
  }
  const intA = integerPart(a);
  const fracA = a.slice(intA.length);
  if (b === null) {
    const higher = incrementInteger(intA);
    return higher === null ? intA + midpoint(fracA, null) : higher;
  }
  const intB = integerPart(b);
  const fracB = b.slice(intB.length);
  if (intA === intB) return intA + midpoint(fracA, fracB);
  const higher = incrementInteger(intA);
  if (higher === null) throw new FractionalKeyError('KEY_SPACE_EXHAUSTED', 'cannot order a key after the largest key');
  if (higher < b) return higher;
  return intA + midpoint(fracA, null);
}

/** `n` sorted keys strictly between `a` and `b`, spread evenly (bulk inserts). */
export function keysBetween(a: string | null, b: string | null, n: number): string[] {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`keysBetween needs a count >= 0, got ${n}`);
  if (n === 0) return [];
  if (n === 1) return [keyBetween(a, b)];
  if (b === null) {
    const keys: string[] = [];
    let last = a;
    for (let i = 0; i < n; i++) {
      last = keyBetween(last, null);
      keys.push(last);
    }
    return keys;
  }
  if (a === null) {
    const keys: string[] = [];
    let first = b;
    for (let i = 0; i < n; i++) {
      first = keyBetween(null, first);
      keys.push(first);
    }
    return keys.reverse();
  }
  const half = Math.floor(n / 2);
  const middle = keyBetween(a, b);
  return [...keysBetween(a, middle, half), middle, ...keysBetween(middle, b, n - half - 1)];
}
