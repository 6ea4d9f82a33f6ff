import { DEFAULT_EXECUTION_POLICY } from '@assemblr/shared';
import type { LatestState, MetricDefinition } from '../read-model/read-model.types';
import { decideRead, type MetricView, resultView } from './metric-view.util';
import { dashboardDataJson, dashboardDataJsonFromParts, resultViewJson, viewJson } from './view-json.util';

const base: MetricView = {
  metricId: '0b7f3c1e-8d3a-4c7e-9f0e-1a2b3c4d5e6f',
  name: 'Revenue "today" \u2028 ✓',
  state: 'fresh',
  executionId: '1b7f3c1e-8d3a-4c7e-9f0e-1a2b3c4d5e6f',
  result: { value: 1234.5, rows: [{ a: 1 }], note: 'x"y' },
  computedAt: '2026-11-27T10:42:00.000Z',
  ageSeconds: 12.4,
  refreshing: false,
  lastError: null,
};

describe('viewJson', () => {
  it.each<[string, MetricView]>([
    ['a fresh view', base],
    ['a loading view', { ...base, state: 'loading', executionId: null, result: null, computedAt: null, ageSeconds: null, refreshing: true }],
    ['an error view', { ...base, state: 'error', result: null, lastError: { message: 'boom "x"', executionId: base.executionId as string, at: base.computedAt as string } }],
    ['a primitive result', { ...base, result: 42 }],
    ['a string result', { ...base, result: 'forty-two' }],
    ['an integral age', { ...base, ageSeconds: 0 }],
  ])('matches JSON.stringify for %s', (_label, view) => {
    expect(viewJson(view)).toBe(JSON.stringify(view));
    // cached result JSON gives the same bytes on a second call
    expect(viewJson(view)).toBe(JSON.stringify(view));
  });

  it('serialises a dashboard body in order', () => {
    const views = [base, { ...base, metricId: 'other' }];
    const body = { dashboardId: 'd', generatedAt: '2026-11-27T10:42:00.000Z', metrics: views };
    expect(dashboardDataJson('d', body.generatedAt, views)).toBe(JSON.stringify(body));
  });
});

describe('resultViewJson (the warm path)', () => {
  const now = new Date('2026-11-27T10:00:00.000Z');
  const policy = { ...DEFAULT_EXECUTION_POLICY, ttlSeconds: 60, maxStalenessSeconds: 600 };
  const def: MetricDefinition = { id: 'm1', name: 'Revenue "x"', policy };
  const completed = { executionId: 'e1', completedAt: new Date('2026-11-27T09:58:00.000Z'), result: { value: [1, 'two'] } };

  it.each<[string, LatestState, boolean]>([
    ['stale, refreshing', { completed, failure: null }, true],
    ['with a newer failure', { completed, failure: { executionId: 'f1', at: new Date('2026-11-27T09:59:00.000Z'), message: 'boom' } }, false],
    ['fresh', { completed: { ...completed, completedAt: new Date('2026-11-27T09:59:59.123Z') }, failure: null }, false],
  ])('matches JSON.stringify(resultView(…)) when %s', (_label, latest, refreshing) => {
    const { freshness } = decideRead(policy, latest, now);
    expect(resultViewJson(def, latest, freshness, refreshing)).toBe(JSON.stringify(resultView(def, latest, freshness, refreshing)));
  });

  it('re-renders the cached parts when the definition changes', () => {
    const latest: LatestState = { completed, failure: null };
    const { freshness } = decideRead(policy, latest, now);
    resultViewJson(def, latest, freshness, false);
    const renamed = { ...def, name: 'Renamed' };
    expect(JSON.parse(resultViewJson(renamed, latest, freshness, false)).name).toBe('Renamed');
    expect(dashboardDataJsonFromParts('d', now.toISOString(), ['1', '2'])).toBe(JSON.stringify({ dashboardId: 'd', generatedAt: now.toISOString(), metrics: [1, 2] }));
  });
});
