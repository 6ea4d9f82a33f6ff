import { DEFAULT_EXECUTION_POLICY, type ExecutionPolicy, ManualClock } from '@assemblr/shared';
import type { LatestState, MetricDefinition } from '../read-model/read-model.types';
import { decideRead, lastErrorOf, resultView, settledView } from './metric-view.util';

const clock = new ManualClock('2026-11-27T10:00:00.000Z');
const policy: ExecutionPolicy = { ...DEFAULT_EXECUTION_POLICY, ttlSeconds: 60, maxStalenessSeconds: 600 };
const def: MetricDefinition = { id: 'm1', name: 'Revenue', policy };
const ago = (seconds: number) => new Date(clock.now().getTime() - seconds * 1000);
const completedAgo = (seconds: number): LatestState => ({ completed: { executionId: 'e1', completedAt: ago(seconds), result: { value: 1 } }, failure: null });

describe('decideRead', () => {
  it.each<[string, LatestState, ExecutionPolicy, string, string]>([
    ['age ≤ ttl', completedAgo(60), policy, 'fresh', 'serve'],
    ['ttl < age ≤ max staleness', completedAgo(61), policy, 'stale', 'serve_and_refresh'],
    ['age = max staleness', completedAgo(600), policy, 'stale', 'serve_and_refresh'],
    ['past max staleness, block', completedAgo(601), policy, 'expired', 'block'],
    ['past max staleness, loading', completedAgo(601), { ...policy, onExpired: 'loading' }, 'expired', 'loading'],
    ['never ran, block', { completed: null, failure: null }, policy, 'missing', 'block'],
    ['never ran, loading', { completed: null, failure: null }, { ...policy, onExpired: 'loading' }, 'missing', 'loading'],
  ])('%s', (_label, latest, p, state, action) => {
    const decision = decideRead(p, latest, clock.now());
    expect(decision.freshness.state).toBe(state);
    expect(decision.action).toBe(action);
  });
});

describe('views', () => {
  it('serves a stale result with its age, execution id and refreshing flag', () => {
    const latest = completedAgo(90.44);
    const view = resultView(def, latest, decideRead(policy, latest, clock.now()).freshness, true);
    expect(view).toEqual({
      metricId: 'm1',
      name: 'Revenue',
      state: 'stale',
      executionId: 'e1',
      result: { value: 1 },
      computedAt: ago(90.44).toISOString(),
      ageSeconds: 90.4,
      refreshing: true,
      lastError: null,
    });
  });

  it('reports only a failure newer than the served result', () => {
    const older = { executionId: 'f0', at: ago(100), message: 'old' };
    const newer = { executionId: 'f1', at: ago(5), message: 'boom' };
    expect(lastErrorOf({ ...completedAgo(10), failure: older })).toBeNull();
    expect(lastErrorOf({ ...completedAgo(10), failure: newer })).toEqual({ message: 'boom', executionId: 'f1', at: ago(5).toISOString() });
    expect(lastErrorOf({ completed: null, failure: older })?.executionId).toBe('f0');
  });

  it('after a run: a usable result keeps being served with lastError; no result and a failure is error; a wait that timed out is loading', () => {
    const failure = { executionId: 'f1', at: ago(1), message: 'boom' };
    expect(settledView(def, { ...completedAgo(10), failure }, clock.now(), false)).toMatchObject({ state: 'fresh', executionId: 'e1', lastError: { executionId: 'f1' } });
    expect(settledView(def, { ...completedAgo(5000), failure }, clock.now(), false)).toMatchObject({ state: 'error', result: null, executionId: null, lastError: { message: 'boom' } });
    expect(settledView(def, { completed: null, failure: null }, clock.now(), true)).toMatchObject({ state: 'loading', refreshing: true, result: null });
  });

  it('serves the run it waited for as fresh even when the policy says it is already past max staleness', () => {
    const zero = { ...def, policy: { ...def.policy, ttlSeconds: 0, maxStalenessSeconds: 0 } };
    const latest = { ...completedAgo(0.2), failure: null };
    expect(settledView(zero, latest, clock.now(), false, { type: 'completed' })).toMatchObject({ state: 'fresh', executionId: 'e1', result: expect.anything() });
    expect(settledView(zero, latest, clock.now(), false, { type: 'failed' }).state).toBe('loading');
    expect(settledView(zero, latest, clock.now(), true, null)).toMatchObject({ state: 'loading', result: null });
  });

  it('moves from fresh to stale to expired as the clock advances', () => {
    const local = new ManualClock('2026-11-27T10:00:00.000Z');
    const latest: LatestState = { completed: { executionId: 'e', completedAt: local.now(), result: 1 }, failure: null };
    const states: string[] = [];
    for (const step of [0, 60_000, 1, 539_999, 1]) {
      local.advance(step);
      states.push(decideRead(policy, latest, local.now()).freshness.state);
    }
    expect(states).toEqual(['fresh', 'fresh', 'stale', 'stale', 'expired']);
  });
});
