export interface BackoffOptions {
  /** Delay after the first failure. */
  baseMs: number;
  /** Upper bound for any delay. */
  capMs: number;
}

export const DEFAULT_FAILURE_BACKOFF: BackoffOptions = { baseMs: 60_000, capMs: 3_600_000 };

/** Exponential backoff after `consecutiveFailures` failures: 0 → 0, 1 → base, 2 → 2·base, … capped. */
export function failureBackoffMs(consecutiveFailures: number, options: BackoffOptions = DEFAULT_FAILURE_BACKOFF): number {
  if (consecutiveFailures <= 0) return 0;
  const exponent = Math.min(consecutiveFailures - 1, 30);
  return Math.min(options.capMs, options.baseMs * 2 ** exponent);
}
