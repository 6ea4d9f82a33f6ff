import { assessFreshness, type ExecutionPolicy, type FreshnessItem, type LatestRecord } from '@assemblr/shared';

/** One metric's freshness from its read-model record and policy (API.md "Metric view and freshness"). */
export function freshnessItem(metricId: string, policy: ExecutionPolicy | null, latest: LatestRecord | null, running: boolean, now: Date): FreshnessItem {
  if (!policy) return { metricId, state: 'unknown', executionId: null, computedAt: null, ageSeconds: null, running: false, lastError: null };
  const completed = latest?.completed ?? null;
  const completedAt = completed ? new Date(completed.completedAt) : null;
  const { state, ageSeconds } = assessFreshness(policy, completedAt, now);
  const failure = latest?.failure ?? null;
  // Only a failure newer than the served result is news (a failed run never replaces a completed one).
  const lastError = failure && (!completedAt || Date.parse(failure.at) > completedAt.getTime()) ? { ...failure } : null;
  return { metricId, state, executionId: completed?.executionId ?? null, computedAt: completed?.completedAt ?? null, ageSeconds, running, lastError };
}
