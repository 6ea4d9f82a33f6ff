import { assessFreshness } from './freshness.util';

describe('assessFreshness', () => {
  const policy = { ttlSeconds: 300, maxStalenessSeconds: 3600 };
  const now = new Date('2026-11-27T12:00:00.000Z');
  const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);

  it('is missing without a completed result', () => {
    expect(assessFreshness(policy, null, now)).toEqual({ state: 'missing', ageSeconds: null });
    expect(assessFreshness(policy, undefined, now).state).toBe('missing');
  });

  it.each([
    [0, 'fresh'],
    [299.999, 'fresh'],
    [300, 'fresh'],
    [300.001, 'stale'],
    [3599, 'stale'],
    [3600, 'stale'],
    [3600.001, 'expired'],
    [86400, 'expired'],
  ])('age %p s is %s', (age, state) => {
    expect(assessFreshness(policy, ago(age), now)).toEqual({ state, ageSeconds: age });
  });

  it('treats a completed_at in the future as age 0 (fresh), never negative', () => {
    expect(assessFreshness(policy, new Date(now.getTime() + 60_000), now)).toEqual({ state: 'fresh', ageSeconds: 0 });
  });

  it('with ttl 0 only an instant-old result is fresh', () => {
    const zero = { ttlSeconds: 0, maxStalenessSeconds: 0 };
    expect(assessFreshness(zero, now, now).state).toBe('fresh');
    expect(assessFreshness(zero, ago(0.001), now).state).toBe('expired');
    expect(assessFreshness({ ttlSeconds: 0, maxStalenessSeconds: 10 }, ago(5), now).state).toBe('stale');
  });
});
