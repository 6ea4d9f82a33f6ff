import { DEFAULT_EXECUTION_POLICY } from '@assemblr/shared';
import { decideRun, joinHolder, runTimeoutMs } from './run-rules.util';

describe('run rules', () => {
  const now = new Date('2026-03-01T12:00:00Z');
  const policy = { ...DEFAULT_EXECUTION_POLICY, ttlSeconds: 60, maxStalenessSeconds: 600 };
  const at = (secondsAgo: number) => new Date(now.getTime() - secondsAgo * 1000);
  const request = (reason: 'manual' | 'schedule', requestedSecondsAgo: number) => ({ reason, requestedAt: at(requestedSecondsAgo).toISOString() });

  it('answers a request with a run that finished after it was made', () => {
    expect(decideRun(request('manual', 10), { policy, lastCompletedAt: at(5), lastVerdictAt: at(5) }, now)).toBe('answered');
    expect(decideRun(request('manual', 10), { policy, lastCompletedAt: at(10), lastVerdictAt: at(10) }, now)).toBe('answered');
  });

  it('runs a manual request made after the last finish, even when the result is fresh', () => {
    expect(decideRun(request('manual', 3), { policy, lastCompletedAt: at(5), lastVerdictAt: at(5) }, now)).toBe('run');
  });

  it('skips system requests while the result is fresh, runs them once it is stale', () => {
    expect(decideRun(request('schedule', 3), { policy, lastCompletedAt: at(5), lastVerdictAt: at(5) }, now)).toBe('fresh');
    expect(decideRun(request('schedule', 3), { policy, lastCompletedAt: at(61), lastVerdictAt: at(61) }, now)).toBe('run');
    expect(decideRun(request('schedule', 3), { policy, lastCompletedAt: null, lastVerdictAt: null }, now)).toBe('run');
  });

  it('runs every slot of a schedule whose ttl equals its period, skips a slot the result still covers', () => {
    const every5 = { ...DEFAULT_EXECUTION_POLICY, mode: 'scheduled' as const, schedule: { cron: '*/5 * * * *', timezone: 'UTC' }, ttlSeconds: 300, maxStalenessSeconds: 3600 };
    const slotRequest = { reason: 'schedule' as const, requestedAt: '2026-03-01T12:00:00.500Z', slot: '2026-03-01T12:00:00.000Z' };
    // the 11:55 result is 299.5 s old: fresh, but it expires before 12:05, so the 12:00 slot runs
    expect(decideRun(slotRequest, { policy: every5, lastCompletedAt: new Date('2026-03-01T11:55:01Z'), lastVerdictAt: new Date('2026-03-01T11:55:01Z') }, now)).toBe('run');
    // a refresh at 12:00:00.2 (after the slot, before the request) is not a verdict after the request but covers the slot
    expect(decideRun(slotRequest, { policy: every5, lastCompletedAt: new Date('2026-03-01T12:00:00.200Z'), lastVerdictAt: new Date('2026-03-01T12:00:00.200Z') }, now)).toBe('fresh');
  });

  it('lets a failure that is a verdict answer, a fresh older result still counts as fresh', () => {
    expect(decideRun(request('manual', 10), { policy, lastCompletedAt: at(30), lastVerdictAt: at(2) }, now)).toBe('answered');
  });

  it('caps the definition timeout at the executor maximum', () => {
    expect(runTimeoutMs({ timeoutMs: 500 }, 60_000)).toBe(500);
    expect(runTimeoutMs({ timeoutMs: 600_000 }, 60_000)).toBe(60_000);
    expect(runTimeoutMs({ timeoutMs: 'soon' }, 60_000)).toBe(60_000);
    expect(runTimeoutMs({}, 60_000)).toBe(60_000);
  });

  it('joins a running holder, takes a finished verdict after the request as the answer, retries otherwise', () => {
    const requestedAt = at(10).toISOString();
    expect(joinHolder({ status: 'running', completedAt: null, failureKind: null }, requestedAt)).toBe('coalesced');
    expect(joinHolder({ status: 'completed', completedAt: at(1), failureKind: null }, requestedAt)).toBe('answered');
    expect(joinHolder({ status: 'failed', completedAt: at(1), failureKind: 'timeout' }, requestedAt)).toBe('answered');
    expect(joinHolder({ status: 'failed', completedAt: at(1), failureKind: 'lease_lost' }, requestedAt)).toBe('retry');
    expect(joinHolder({ status: 'completed', completedAt: at(20), failureKind: null }, requestedAt)).toBe('retry');
    expect(joinHolder(null, requestedAt)).toBe('retry');
  });
});
