import type { ExecutionPolicy } from './execution-policy';

/** Freshness of a metric's latest completed result under its policy (API.md "Metric view and freshness"). */
export const FRESHNESS_STATES = ['fresh', 'stale', 'expired', 'missing'] as const;
export type FreshnessState = (typeof FRESHNESS_STATES)[number];

export interface FreshnessAssessment {
  state: FreshnessState;
  /** Seconds since the result completed; null when there is none. Never negative. */
  ageSeconds: number | null;
}

/**
 * Classifies the latest completed result: `age ≤ ttl` fresh, `ttl < age ≤ maxStaleness` stale, older
 * expired, none missing. A `completedAt` in the future (clock skew, a hand edit) counts as age 0.
 */
export function assessFreshness(
  policy: Pick<ExecutionPolicy, 'ttlSeconds' | 'maxStalenessSeconds'>,
  latestCompletedAt: Date | null | undefined,
  now: Date,
): FreshnessAssessment {
  if (!latestCompletedAt) return { state: 'missing', ageSeconds: null };
  const ageMs = Math.max(0, now.getTime() - latestCompletedAt.getTime());
  const ageSeconds = ageMs / 1000;
  if (ageMs <= policy.ttlSeconds * 1000) return { state: 'fresh', ageSeconds };
  if (ageMs <= policy.maxStalenessSeconds * 1000) return { state: 'stale', ageSeconds };
  return { state: 'expired', ageSeconds };
}
