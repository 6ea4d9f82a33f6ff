import type { FreshnessAssessment } from '@assemblr/shared';
import type { CompletedResult, LatestState, MetricDefinition } from '../read-model/read-model.types';
import { lastErrorOf, type MetricView, resultView, roundAge } from './metric-view.util';

// Results are immutable once cached, so their JSON is computed once per result object.
const resultJsonCache = new WeakMap<object, string>();
const stringCache = new Map<string, string>();

function jsonOfResult(result: unknown): string {
  if (result === null || result === undefined) return 'null';
  if (typeof result !== 'object') return JSON.stringify(result);
  let json = resultJsonCache.get(result);
  if (json === undefined) {
    json = JSON.stringify(result);
    resultJsonCache.set(result, json);
  }
  return json;
}

// ids, names and timestamps repeat on every read of a warm dashboard
function jsonOfString(value: string | null): string {
  if (value === null) return 'null';
  let json = stringCache.get(value);
  if (json === undefined) {
    if (stringCache.size > 50_000) stringCache.clear();
    json = JSON.stringify(value);
    stringCache.set(value, json);
  }
  return json;
}

/** `JSON.stringify(view)`, byte for byte, without re-serialising the cached result each time. */
export function viewJson(view: MetricView): string {
  return (
    `{"metricId":${jsonOfString(view.metricId)},"name":${jsonOfString(view.name)},"state":"${view.state}",` +
    `"executionId":${jsonOfString(view.executionId)},"result":${jsonOfResult(view.result)},` +
    `"computedAt":${jsonOfString(view.computedAt)},"ageSeconds":${view.ageSeconds === null ? 'null' : String(view.ageSeconds)},` +
    `"refreshing":${view.refreshing},"lastError":${view.lastError === null ? 'null' : JSON.stringify(view.lastError)}}`
  );
}

/** The body of `GET /api/dashboards/:id/data`. */
export function dashboardDataJson(dashboardId: string, generatedAt: string, views: MetricView[]): string {
  let metrics = '';
  for (let i = 0; i < views.length; i++) metrics += (i ? ',' : '') + viewJson(views[i]);
  return `{"dashboardId":${jsonOfString(dashboardId)},"generatedAt":"${generatedAt}","metrics":[${metrics}]}`;
}

interface ResultFragments {
  def: MetricDefinition;
  /** `{"metricId":…,"name":…,"state":"` */
  head: string;
  /** `","executionId":…,"result":…,"computedAt":…,"ageSeconds":` */
  middle: string;
}

// Per cached result (and the definition it was rendered for): the parts of its view that never change.
const fragmentCache = new WeakMap<CompletedResult, ResultFragments>();

function fragmentsOf(def: MetricDefinition, completed: CompletedResult): ResultFragments {
  let fragments = fragmentCache.get(completed);
  if (fragments === undefined || fragments.def !== def) {
    fragments = {
      def,
      head: `{"metricId":${JSON.stringify(def.id)},"name":${JSON.stringify(def.name)},"state":"`,
      middle: `","executionId":${JSON.stringify(completed.executionId)},"result":${jsonOfResult(completed.result)},"computedAt":${JSON.stringify(completed.completedAt.toISOString())},"ageSeconds":`,
    };
    fragmentCache.set(completed, fragments);
  }
  return fragments;
}

/**
 * `viewJson(resultView(def, latest, freshness, refreshing))` for a served (fresh or stale) result,
 * from cached fragments: the hot path of a warm dashboard.
 */
export function resultViewJson(def: MetricDefinition, latest: LatestState, freshness: FreshnessAssessment, refreshing: boolean): string {
  const completed = latest.completed;
  if (!completed || (freshness.state !== 'fresh' && freshness.state !== 'stale')) return viewJson(resultView(def, latest, freshness, refreshing));
  const { head, middle } = fragmentsOf(def, completed);
  const lastError = lastErrorOf(latest);
  return `${head}${freshness.state}${middle}${roundAge(freshness.ageSeconds ?? 0)},"refreshing":${refreshing},"lastError":${lastError === null ? 'null' : JSON.stringify(lastError)}}`;
}

/** The body of `GET /api/dashboards/:id/data` from already serialised views. */
export function dashboardDataJsonFromParts(dashboardId: string, generatedAt: string, views: string[]): string {
  return `{"dashboardId":${jsonOfString(dashboardId)},"generatedAt":"${generatedAt}","metrics":[${views.join(',')}]}`;
}
