import { DEFAULT_EXECUTION_POLICY, parseExecutionPolicy } from './execution-policy';

const scheduled = { mode: 'scheduled', schedule: { cron: '*/5 * * * *', timezone: 'Europe/Berlin' } };

describe('parseExecutionPolicy', () => {
  it('fills defaults when omitted', () => {
    expect(parseExecutionPolicy(undefined)).toEqual({ ok: true, value: DEFAULT_EXECUTION_POLICY });
    expect(parseExecutionPolicy({})).toEqual({ ok: true, value: DEFAULT_EXECUTION_POLICY });
  });

  it('accepts a scheduled policy', () => {
    const parsed = parseExecutionPolicy({ ...scheduled, ttlSeconds: 300, maxStalenessSeconds: 3600, onExpired: 'loading' });
    expect(parsed).toEqual({
      ok: true,
      value: { mode: 'scheduled', schedule: scheduled.schedule, ttlSeconds: 300, maxStalenessSeconds: 3600, onExpired: 'loading' },
    });
  });

  it('raises the default max staleness to a larger ttl instead of failing', () => {
    const parsed = parseExecutionPolicy({ ttlSeconds: 7200 });
    expect(parsed.ok && parsed.value.maxStalenessSeconds).toBe(7200);
  });

  const cases: [string, unknown, string][] = [
    ['negative ttl', { ttlSeconds: -1 }, 'executionPolicy.ttlSeconds'],
    ['fractional ttl', { ttlSeconds: 1.5 }, 'executionPolicy.ttlSeconds'],
    ['ttl as string', { ttlSeconds: '300' }, 'executionPolicy.ttlSeconds'],
    ['max staleness below ttl', { ttlSeconds: 600, maxStalenessSeconds: 300 }, 'executionPolicy.maxStalenessSeconds'],
    ['unknown mode', { mode: 'sometimes' }, 'executionPolicy.mode'],
    ['unknown onExpired', { onExpired: 'wait' }, 'executionPolicy.onExpired'],
    ['scheduled without schedule', { mode: 'scheduled' }, 'executionPolicy.schedule'],
    ['schedule on on_demand', { mode: 'on_demand', schedule: scheduled.schedule }, 'executionPolicy.schedule'],
    ['bad cron', { mode: 'scheduled', schedule: { cron: '99 * * * *', timezone: 'UTC' } }, 'executionPolicy.schedule.cron'],
    ['six-field cron', { mode: 'scheduled', schedule: { cron: '0 */5 * * * *', timezone: 'UTC' } }, 'executionPolicy.schedule.cron'],
    ['unknown zone', { mode: 'scheduled', schedule: { cron: '0 * * * *', timezone: 'Europe/Atlantis' } }, 'executionPolicy.schedule.timezone'],
    ['unknown field', { ttl: 5 }, 'executionPolicy'],
    ['not an object', 'fast', 'executionPolicy'],
  ];
  it.each(cases)('rejects %s naming the field', (_label, input, path) => {
    const parsed = parseExecutionPolicy(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors.map((e) => e.path)).toContain(path);
  });

  it('merges a partial update onto the stored policy', () => {
    const stored = parseExecutionPolicy(scheduled);
    if (!stored.ok) throw new Error('setup');
    const patched = parseExecutionPolicy({ ttlSeconds: 60 }, 'executionPolicy', stored.value);
    expect(patched).toEqual({ ok: true, value: { ...stored.value, ttlSeconds: 60 } });
    const toOnDemand = parseExecutionPolicy({ mode: 'on_demand' }, 'executionPolicy', stored.value);
    expect(toOnDemand.ok && toOnDemand.value.schedule).toBeNull();
  });
});
