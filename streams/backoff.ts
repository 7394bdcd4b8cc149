export interface BackoffOptions {
  readonly initialMs: number;
  readonly maxMs: number;
}

/**
 * Capped exponential backoff with full jitter: attempt n (0-based) waits a uniformly random
 * time in [cap/2, cap], cap = min(max, initial × 2^n). Half the cap is kept as a floor so a
 * thundering herd spreads out without ever retrying in a tight loop.
 */
export function backoffDelay(
  attempt: number,
  { initialMs, maxMs }: BackoffOptions,
  random: () => number = Math.random,
): number {
  const cap = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 52));
  return cap / 2 + (cap / 2) * random();
}
