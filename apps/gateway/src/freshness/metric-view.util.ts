import { assessFreshness, type ExecutionPolicy, type FreshnessAssessment } from '@assemblr/shared';
import type { LatestState, MetricDefinition } from '../read-model/read-model.types';

export const VIEW_STATES = ['fresh', 'stale', 'loading', 'error'] as const;
export type ViewState = (typeof VIEW_STATES)[number];

export interface LastError {
  message: string;
  executionId: string;
  at: string;
}

/** API.md "Metric view and freshness"; key order is the wire order. */
export interface MetricView {
  metricId: string;
  name: string;
  state: ViewState;
  executionId: string | null;
  result: unknown;
  computedAt: string | null;
  ageSeconds: number | null;
  refreshing: boolean;
  lastError: LastError | null;
}

/** What a read does: serve the cached result, serve it and request a refresh, block on a run, or answer loading. */
export type ReadAction = 'serve' | 'serve_and_refresh' | 'block' | 'loading';

export interface ReadDecision {
  freshness: FreshnessAssessment;
  action: ReadAction;
}

/** The freshness rule applied to one read (API.md table). */
export function decideRead(policy: ExecutionPolicy, latest: LatestState, now: Date): ReadDecision {
  const freshness = assessFreshness(policy, latest.completed?.completedAt ?? null, now);
  switch (freshness.state) {
    case 'fresh':
      return { freshness, action: 'serve' };
    case 'stale':
      return { freshness, action: 'serve_and_refresh' };
    case 'expired':
    case 'missing':
      return { freshness, action: policy.onExpired === 'block' ? 'block' : 'loading' };
  }
}

/** The newest failure newer than the completed result, as the view shows it. */
export function lastErrorOf(latest: LatestState): LastError | null {
  const { failure, completed } = latest;
  if (!failure || (completed && failure.at.getTime() <= completed.completedAt.getTime())) return null;
  return { message: failure.message, executionId: failure.executionId, at: failure.at.toISOString() };
}

/** Ages are shown to a tenth of a second. */
export const roundAge = (seconds: number) => Math.round(seconds * 10) / 10;

// A cached result's completion time is read on every request: format it once per Date.
const isoStrings = new WeakMap<Date, string>();
function isoTime(date: Date): string {
  let iso = isoStrings.get(date);
  if (iso === undefined) {
    iso = date.toISOString();
    isoStrings.set(date, iso);
  }
  return iso;
}

/** A view serving the cached result (fresh or stale). */
export function resultView(def: MetricDefinition, latest: LatestState, freshness: FreshnessAssessment, refreshing: boolean): MetricView {
  const completed = latest.completed;
  if (!completed || (freshness.state !== 'fresh' && freshness.state !== 'stale')) return pendingView(def, latest, 'loading', refreshing);
  return {
    metricId: def.id,
    name: def.name,
    state: freshness.state,
    executionId: completed.executionId,
    result: completed.result,
    computedAt: isoTime(completed.completedAt),
    ageSeconds: roundAge(freshness.ageSeconds ?? 0),
    refreshing,
    lastError: lastErrorOf(latest),
  };
}

/** A view without a result: `loading` (a run is on its way) or `error` (the run it waited for failed). */
export function pendingView(def: MetricDefinition, latest: LatestState, state: 'loading' | 'error', refreshing: boolean): MetricView {
  return {
    metricId: def.id,
    name: def.name,
    state,
    executionId: null,
    result: null,
    computedAt: null,
    ageSeconds: null,
    refreshing,
    lastError: lastErrorOf(latest),
  };
}

/**
 * The view after a run finished (or a wait ended), without requesting anything: a usable result is
 * served; otherwise `error` when the newest attempt failed, else `loading`.
 */
export function settledView(def: MetricDefinition, latest: LatestState, now: Date, refreshing: boolean, outcome?: { type: string } | null): MetricView {
  const freshness = assessFreshness(def.policy, latest.completed?.completedAt ?? null, now);
  if (freshness.state === 'fresh' || freshness.state === 'stale') return resultView(def, latest, freshness, refreshing);
  // The awaited run just completed: it answers this read even when the policy's ttl (e.g. 0) has
  // already passed by the time the view is built (API.md: "fresh after a blocking run").
  if (outcome?.type === 'completed' && latest.completed) return resultView(def, latest, { state: 'fresh', ageSeconds: freshness.ageSeconds }, refreshing);
  return pendingView(def, latest, lastErrorOf(latest) && !refreshing ? 'error' : 'loading', refreshing);
}
