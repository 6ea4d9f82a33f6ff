import type { CatalogSource } from '../catalog/catalog.types';
import { MetricMatcher } from '../retrieval/metric-matcher';
import { fixtureCatalog } from '../retrieval/metric-matcher.fixtures';
import { pickSource, proposeMetric, sqlTemplate } from './proposal.util';
import { buildSpec } from './spec-builder.util';

const source = (id: string, kind: CatalogSource['kind'], metricCount = 0): CatalogSource => ({ id, name: id, kind, metricCount });

describe('buildSpec', () => {
  const catalog = fixtureCatalog().filter((m) => m.name !== 'Weekly signups');
  const matcher = new MetricMatcher(catalog);
  const sources = [source('warehouse', 'postgres', 20), source('demo', 'demo', 3)];

  it('reuses existing metrics and proposes only what none matches', () => {
    const spec = buildSpec(['revenue', 'refunds', 'weekly signups'], matcher, sources, null);
    expect(spec.name).toBe('Revenue, refunds and weekly signups');
    expect(spec.metrics).toEqual([
      { metricId: 'Revenue today' },
      { metricId: 'Refunds today' },
      {
        proposed: {
          name: 'Weekly signups',
          description: expect.any(String),
          dataSourceId: 'warehouse',
          dataSourceKind: 'postgres',
          definition: { sql: "select count(*) as value from signup where created_at >= now() - interval '7 days'" },
        },
      },
    ]);
  });

  it('never uses one metric twice and never proposes one name twice', () => {
    const spec = buildSpec(['revenue', 'sales', 'employees', 'Employees'], matcher, sources, 'Board');
    expect(spec).toEqual({ name: 'Board', metrics: [{ metricId: 'Revenue today' }, { proposed: expect.objectContaining({ name: 'Employees' }) }] });
  });

  it('reuses a near-miss metric only when it is the asked one', () => {
    const spec = buildSpec(['daily signups', 'weekly signups'], matcher, sources, null);
    expect(spec.metrics[0]).toEqual({ metricId: 'Daily signups' });
    expect(spec.metrics[1]).toEqual({ proposed: expect.objectContaining({ name: 'Weekly signups' }) });
  });
});

describe('proposals', () => {
  it('prefer a postgres source, then http, then demo; the busiest of a kind', () => {
    expect(pickSource([source('d', 'demo', 9), source('h', 'http', 1), source('p1', 'postgres', 1), source('p2', 'postgres', 5)])?.id).toBe('p2');
    expect(pickSource([source('d', 'demo', 9), source('h', 'http', 1)])?.id).toBe('h');
    expect(pickSource([])).toBeNull();
  });

  it('write a definition template for the source kind', () => {
    expect(proposeMetric('weekly signups', source('h', 'http')).definition).toEqual({ path: '/metrics/weekly-signups', valuePath: 'value' });
    expect(proposeMetric('weekly signups', source('d', 'demo'))).toMatchObject({ dataSourceId: 'd', dataSourceKind: 'demo', definition: { value: 0 } });
    expect(proposeMetric('weekly signups', null)).toEqual(expect.not.objectContaining({ dataSourceId: expect.anything() }));
  });

  it('guess the aggregate and the time window of a SQL template', () => {
    expect(sqlTemplate('Revenue this month')).toBe("select coalesce(sum(amount), 0) as value from revenue where created_at >= date_trunc('month', now())");
    expect(sqlTemplate('Average delivery time')).toBe('select avg(value) as value from delivery_time');
    expect(sqlTemplate('Employees')).toBe('select count(*) as value from employees');
  });
});
