import { DEFAULT_EXECUTION_POLICY } from '@assemblr/shared';
import type { CatalogMetric } from '../catalog/catalog.types';
import { MATCH_THRESHOLD, MetricMatcher } from './metric-matcher';
import { FIXTURE_METRICS, fixtureCatalog, LABELLED_QUESTIONS } from './metric-matcher.fixtures';

const metric = (name: string, description = '', tags: string[] = []): CatalogMetric => ({
  id: name,
  name,
  description,
  tags,
  dataSourceId: 's',
  dataSourceName: 'Warehouse',
  dataSourceKind: 'postgres',
  policy: { ...DEFAULT_EXECUTION_POLICY },
});

describe('MetricMatcher', () => {
  const matcher = new MetricMatcher(fixtureCatalog());
  const topOf = (question: string) => matcher.best(question)?.metric.id ?? null;

  it('finds the metric of at least 90 % of a labelled question set (top-1)', () => {
    expect(FIXTURE_METRICS.length).toBeGreaterThanOrEqual(20);
    expect(LABELLED_QUESTIONS.length).toBeGreaterThanOrEqual(30);
    const misses = LABELLED_QUESTIONS.filter((q) => topOf(q.question) !== q.expected);
    const accuracy = (LABELLED_QUESTIONS.length - misses.length) / LABELLED_QUESTIONS.length;
    console.log(
      `chat retrieval top-1 accuracy: ${(accuracy * 100).toFixed(1)} % (${LABELLED_QUESTIONS.length - misses.length}/${LABELLED_QUESTIONS.length} questions over ${FIXTURE_METRICS.length} metrics)` +
        misses.map((m) => `\n  miss: "${m.question}" → ${topOf(m.question)} (expected ${m.expected})`).join(''),
    );
    expect(accuracy).toBeGreaterThanOrEqual(0.9);
  });

  it('tells near misses apart', () => {
    expect(topOf('revenue')).toBe('Revenue today');
    expect(topOf('refunds')).toBe('Refunds today');
    expect(topOf('weekly signups')).toBe('Weekly signups');
    expect(topOf('daily signups')).toBe('Daily signups');
    expect(topOf('daily active users')).toBe('Daily active users');
    expect(topOf('monthly active users')).toBe('Monthly active users');
  });

  it('does not offer a metric of another granularity when the asked one is missing', () => {
    const onlyDaily = new MetricMatcher([metric('Daily signups', 'New accounts created today'), metric('Revenue today')]);
    expect(onlyDaily.best('weekly signups')).toBeNull();
    expect(onlyDaily.best('daily signups')?.metric.id).toBe('Daily signups');
    expect(onlyDaily.best('refunds')).toBeNull();
  });

  it('answers nothing below the threshold, and ranks with confidences in [0, 1]', () => {
    expect(matcher.best('How many employees do we have?')).toBeNull();
    const ranked = matcher.rank('signups');
    expect(ranked.length).toBeGreaterThanOrEqual(2);
    for (const r of ranked) expect(r.confidence).toBeGreaterThan(0);
    for (const r of ranked) expect(r.confidence).toBeLessThanOrEqual(1);
    expect(ranked[0].confidence).toBeGreaterThanOrEqual(MATCH_THRESHOLD);
  });

  it("prefers the dashboard's metric when the question fits several", () => {
    const ids = new Set(['Weekly signups']);
    expect(matcher.best('signups')?.metric.id).toBe('Daily signups');
    expect(matcher.best('signups', { prefer: ids })?.metric.id).toBe('Weekly signups');
    // A clearly better match elsewhere still wins.
    expect(matcher.best('daily signups', { prefer: ids })?.metric.id).toBe('Daily signups');
  });

  it('finds a metric by its tags and description, not only its name', () => {
    const m = new MetricMatcher([metric('KPI 7', 'Distinct paying customers', ['billing']), metric('Revenue today')]);
    expect(m.best('paying customers')?.metric.id).toBe('KPI 7');
    expect(m.best('billing')?.metric.id).toBe('KPI 7');
  });

  it('copes with an empty catalogue and an empty question', () => {
    expect(new MetricMatcher([]).best('revenue')).toBeNull();
    expect(matcher.best('???')).toBeNull();
  });
});
