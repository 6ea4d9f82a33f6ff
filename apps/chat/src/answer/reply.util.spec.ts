import { ManualClock } from '@assemblr/shared';
import type { MetricOutcome, ServedValue } from './outcome.types';
import { composeReply, describeOutcome } from './reply.util';
import { dataFrom, formatValue, relativeAge, whenComputed } from './wording.util';

const clock = new ManualClock('2026-11-27T10:45:00.000Z');
const ago = (ms: number) => new Date(clock.now().getTime() - ms);
const MIN = 60_000;
const now = clock.now();
const metric = { id: 'm1', name: 'Revenue today' };
const served = (value: unknown, computedAt: Date, executionId = 'e1'): ServedValue => ({ executionId, value, computedAt });

describe('freshness wording', () => {
  it('says how old a result is as a person would', () => {
    expect(relativeAge(ago(20_000), now)).toBe('just now');
    expect(relativeAge(ago(MIN), now)).toBe('1 minute ago');
    expect(relativeAge(ago(3 * MIN), now)).toBe('3 minutes ago');
    expect(relativeAge(ago(125 * MIN), now)).toBe('2 hours ago');
    expect(relativeAge(new Date(now.getTime() + 5000), now)).toBe('just now');
  });

  it('gives the time of day today, "yesterday at" the day before, the date before that', () => {
    expect(dataFrom(ago(3 * MIN), now)).toBe('Data from 10:42 UTC (3 minutes ago)');
    expect(whenComputed(new Date('2026-11-27T08:15:00Z'), now)).toBe('08:15 UTC (2 hours ago)');
    expect(whenComputed(new Date('2026-11-26T18:05:00Z'), now)).toBe('yesterday at 18:05 UTC');
    expect(whenComputed(new Date('2026-11-24T18:05:00Z'), now)).toBe('24 Nov at 18:05 UTC (2 days ago)');
    expect(whenComputed(new Date('2025-12-31T23:00:00Z'), now)).toBe('31 Dec 2025 at 23:00 UTC (330 days ago)');
    // Just after midnight, a result from minutes ago reads by its time, not as "yesterday".
    expect(whenComputed(new Date('2026-11-26T23:55:00Z'), new Date('2026-11-27T00:10:00Z'))).toBe('23:55 UTC (15 minutes ago)');
  });

  it('formats values', () => {
    expect(formatValue(1234.5678)).toBe('1,234.57');
    expect(formatValue('98765.4')).toBe('98,765.4');
    expect(formatValue('ok')).toBe('"ok"');
    expect(formatValue(null)).toBe('empty');
    expect(formatValue({ a: 1 })).toBe('{"a":1}');
  });
});

describe('replies per outcome', () => {
  it('fresh: the cached value and "Data from …"', () => {
    const outcome: MetricOutcome = { kind: 'cached', metric, served: served(1234.5, ago(3 * MIN)), lastError: null };
    expect(describeOutcome(outcome, now)).toBe('Revenue today is 1,234.5. Data from 10:42 UTC (3 minutes ago).');
  });

  it('stale: also says a refresh is under way (or that none could be requested)', () => {
    const outcome: MetricOutcome = { kind: 'refreshing', metric, served: served(10, ago(125 * MIN)), refreshRequested: true, lastError: null };
    expect(describeOutcome(outcome, now)).toBe('Revenue today is 10. Data from 08:40 UTC (2 hours ago); it is getting old and a refresh is under way.');
    expect(describeOutcome({ ...outcome, refreshRequested: false }, now)).toMatch(/a refresh could not be requested right now/);
  });

  it('live: says it was computed now', () => {
    const outcome: MetricOutcome = { kind: 'live', metric, served: served(7, ago(1000)) };
    expect(describeOutcome(outcome, now)).toBe('Revenue today is 7. Computed live just now (10:44 UTC).');
  });

  it('failed: says so, with the last good value and its time', () => {
    const failure = { executionId: 'f1', message: 'connection refused', at: ago(1000) };
    const outcome: MetricOutcome = { kind: 'failed', metric, failure, lastGood: served(99, new Date('2026-11-26T18:05:00Z')) };
    expect(describeOutcome(outcome, now)).toBe(
      'Revenue today could not be refreshed: the run failed at 10:44 UTC (connection refused). The last good value was 99, from yesterday at 18:05 UTC.',
    );
    expect(describeOutcome({ ...outcome, lastGood: null }, now)).toMatch(/There is no earlier value to show\.$/);
  });

  it('a fresh value keeps being served with a newer failure, which the reply mentions', () => {
    const outcome: MetricOutcome = { kind: 'cached', metric, served: served(5, ago(3 * MIN)), lastError: { executionId: 'f', message: 'boom', at: ago(MIN) } };
    expect(describeOutcome(outcome, now)).toMatch(/Data from 10:42 UTC \(3 minutes ago\)\. \(The latest refresh attempt failed 10:44 UTC \(1 minute ago\): boom\.\)/);
  });

  it('loading: says the run goes on, and how old the value it has is', () => {
    const outcome: MetricOutcome = { kind: 'loading', metric, lastGood: null, runRequested: true, waitedMs: 10_000 };
    expect(describeOutcome(outcome, now)).toBe('Revenue today is being computed now; the run did not finish within 10 seconds. There is no earlier value to show.');
  });
});

describe('composeReply', () => {
  it('lists metrics with states and sets dataAsOf to the oldest value cited', () => {
    const outcomes: MetricOutcome[] = [
      { kind: 'cached', metric, served: served(1, ago(3 * MIN), 'e1'), lastError: null },
      { kind: 'refreshing', metric: { id: 'm2', name: 'Refunds today' }, served: served(2, ago(90 * MIN), 'e2'), refreshRequested: true, lastError: null },
      { kind: 'failed', metric: { id: 'm3', name: 'Orders' }, failure: { executionId: 'f', message: 'x', at: now }, lastGood: null },
    ];
    const proposal = { name: 'Employees', description: '', dataSourceKind: 'postgres' as const, definition: { sql: 'select count(*) as value from employees' } };
    const reply = composeReply(outcomes, [{ concept: 'employees', proposal }], now);
    expect(reply.metrics).toEqual([
      { metricId: 'm1', name: 'Revenue today', value: 1, computedAt: ago(3 * MIN).toISOString(), state: 'fresh' },
      { metricId: 'm2', name: 'Refunds today', value: 2, computedAt: ago(90 * MIN).toISOString(), state: 'stale' },
      { metricId: 'm3', name: 'Orders', value: null, computedAt: null, state: 'error' },
    ]);
    expect(reply.dataAsOf).toBe(ago(90 * MIN).toISOString());
    expect(reply.reply.split('\n')).toHaveLength(4);
    expect(reply.reply).toMatch(/There is no metric for "employees" yet\. I could propose one: "Employees" on a postgres data source, as select count\(\*\) as value from employees\./);
  });

  it('has dataAsOf null when it cites no value', () => {
    expect(composeReply([], [], now).dataAsOf).toBeNull();
  });
});
