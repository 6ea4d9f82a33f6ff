import { DEFAULT_EXECUTION_POLICY, type LatestRecord } from '@assemblr/shared';
import { freshnessItem } from './freshness.util';

describe('freshnessItem', () => {
  const now = new Date('2026-03-01T12:00:00Z');
  const policy = { ...DEFAULT_EXECUTION_POLICY, ttlSeconds: 60, maxStalenessSeconds: 600 };
  const id = '11111111-1111-4111-8111-111111111111';
  const record = (completedSecondsAgo: number | null, failedSecondsAgo: number | null): LatestRecord => ({
    metricId: id,
    completed:
      completedSecondsAgo === null
        ? null
        : { executionId: '22222222-2222-4222-8222-222222222222', startedAt: null, completedAt: new Date(now.getTime() - completedSecondsAgo * 1000).toISOString() },
    failure:
      failedSecondsAgo === null
        ? null
        : { executionId: '33333333-3333-4333-8333-333333333333', at: new Date(now.getTime() - failedSecondsAgo * 1000).toISOString(), message: 'boom' },
    updatedAt: now.toISOString(),
  });

  it('classifies fresh, stale, expired and missing', () => {
    expect(freshnessItem(id, policy, record(10, null), false, now)).toMatchObject({ state: 'fresh', ageSeconds: 10, executionId: '22222222-2222-4222-8222-222222222222' });
    expect(freshnessItem(id, policy, record(100, null), true, now)).toMatchObject({ state: 'stale', running: true });
    expect(freshnessItem(id, policy, record(1000, null), false, now).state).toBe('expired');
    expect(freshnessItem(id, policy, null, false, now)).toMatchObject({ state: 'missing', executionId: null, computedAt: null });
  });

  it('reports only a failure newer than the served result', () => {
    expect(freshnessItem(id, policy, record(10, 5), false, now).lastError).toMatchObject({ message: 'boom' });
    expect(freshnessItem(id, policy, record(10, 20), false, now).lastError).toBeNull();
    expect(freshnessItem(id, policy, record(null, 20), false, now).lastError).toMatchObject({ message: 'boom' });
  });

  it('answers unknown for a metric that does not exist', () => {
    expect(freshnessItem(id, null, null, false, now)).toMatchObject({ state: 'unknown', running: false });
  });
});
