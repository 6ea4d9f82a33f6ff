import type { MetricView } from './metric-view.util';

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
