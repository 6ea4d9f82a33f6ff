import type { LatestRecord } from '@assemblr/shared';
import { sameOutcomes } from './latest-record.util';

describe('sameOutcomes', () => {
  const base: LatestRecord = {
    metricId: '11111111-1111-4111-8111-111111111111',
    completed: { executionId: '22222222-2222-4222-8222-222222222222', startedAt: null, completedAt: '2026-03-01T12:00:00.000Z' },
    failure: { executionId: '33333333-3333-4333-8333-333333333333', at: '2026-03-01T12:01:00.000Z', message: 'boom' },
    updatedAt: '2026-03-01T12:02:00.000Z',
  };

  it('ignores when and how the record was written', () => {
    expect(sameOutcomes(base, { ...base, updatedAt: '2030-01-01T00:00:00.000Z' })).toBe(true);
    expect(sameOutcomes(base, { ...base, completed: { ...base.completed!, completedAt: '2026-03-01T13:00:00+01:00' } })).toBe(true);
  });

  it('sees a hand-edited time, another execution, or a missing part', () => {
    expect(sameOutcomes(base, { ...base, completed: { ...base.completed!, completedAt: '2026-03-01T10:00:00.000Z' } })).toBe(false);
    expect(sameOutcomes(base, { ...base, completed: { ...base.completed!, executionId: '44444444-4444-4444-8444-444444444444' } })).toBe(false);
    expect(sameOutcomes(base, { ...base, failure: { ...base.failure!, at: '2026-03-01T12:05:00.000Z' } })).toBe(false);
    expect(sameOutcomes(base, { ...base, failure: null })).toBe(false);
    expect(sameOutcomes(base, { ...base, completed: null })).toBe(false);
  });
});
