import type { LatestState } from './read-model.types';
import type { MetricEvent } from '@assemblr/shared';
import { completedFromEvent, sameLatest, withCompleted, withFailure } from './latest-state.util';

const at = (s: number) => new Date(Date.UTC(2026, 10, 27, 10, 0, s));
const base: LatestState = { completed: { executionId: 'e1', completedAt: at(10), result: 1 }, failure: null };

describe('latest state transitions', () => {
  it('swaps in a newer completed result and drops failures older than it', () => {
    const failed = withFailure(base, { executionId: 'f1', at: at(20), message: 'x' })!;
    expect(failed.failure?.executionId).toBe('f1');
    const next = withCompleted(failed, { executionId: 'e2', completedAt: at(30), result: 2 })!;
    expect(next).toEqual({ completed: { executionId: 'e2', completedAt: at(30), result: 2 }, failure: null });
  });

  it('ignores an older or repeated completion (events out of order, redelivered)', () => {
    expect(withCompleted(base, { executionId: 'e0', completedAt: at(5), result: 0 })).toBeNull();
    expect(withCompleted(base, { executionId: 'e1', completedAt: at(10), result: 1 })).toBeNull();
  });

  it('ignores a failure older than the result or than the known failure', () => {
    expect(withFailure(base, { executionId: 'f0', at: at(5), message: 'x' })).toBeNull();
    const failed = withFailure(base, { executionId: 'f2', at: at(40), message: 'new' })!;
    expect(withFailure(failed, { executionId: 'f1', at: at(20), message: 'old' })).toBeNull();
  });

  it('compares by execution ids and times', () => {
    expect(sameLatest(base, { completed: { ...base.completed!, result: 'other object' }, failure: null })).toBe(true);
    expect(sameLatest(base, { completed: { ...base.completed!, completedAt: at(11) }, failure: null })).toBe(false);
  });

  it('takes a completed result from an event that carries one (null included), else asks for a load', () => {
    const event: MetricEvent = {
      type: 'completed',
      metricId: '00000000-0000-4000-8000-000000000001',
      executionId: '00000000-0000-4000-8000-000000000002',
      triggeredBy: 'system',
      reason: 'cold_load',
      requestedAt: at(1).toISOString(),
      startedAt: at(2).toISOString(),
      completedAt: at(3).toISOString(),
      error: null,
    };
    expect(completedFromEvent({ ...event, result: { value: 7 } })).toEqual({ executionId: event.executionId, completedAt: at(3), result: { value: 7 } });
    expect(completedFromEvent({ ...event, result: null })).toEqual({ executionId: event.executionId, completedAt: at(3), result: null });
    expect(completedFromEvent(event)).toBeNull();
    expect(completedFromEvent({ ...event, type: 'failed', result: 1 })).toBeNull();
  });
});
