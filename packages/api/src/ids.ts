import { createHash, randomBytes, randomInt } from 'node:crypto';

/** 128 random bits, URL-safe: 22 characters, matches `recordIdPattern`. */
export function newId(): string {
  return randomBytes(16).toString('base64url');
}

/** 256 random bits: an opaque session token only the client ever holds in plain text. */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Six digits, uniformly random (leading zeros kept). */
export function newSignInCode(): string {
  return randomInt(0, 1_000_000).toString().padStart(6, '0');
}
