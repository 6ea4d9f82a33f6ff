import type { MetricView } from './metric-view.util';
import { dashboardDataJson, viewJson } from './view-json.util';

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
