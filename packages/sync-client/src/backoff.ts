export interface BackoffOptions {
  /** First retry delay before jitter. */
  minMs: number;
  /** Ceiling for any delay. */
  maxMs: number;
  factor: number;
}

export const defaultBackoff: BackoffOptions = { minMs: 250, maxMs: 30_000, factor: 2 };

/**
 * Delay before retry number `attempt` (1-based): exponential, capped, with "equal
 * jitter" — half fixed, half random — so a fleet of clients that lost the server at
 * the same moment does not come back in lockstep, yet no delay collapses to zero.
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const exponent = Math.max(0, attempt - 1);
  const ceiling = Math.min(options.maxMs, options.minMs * options.factor ** exponent);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
