import { DEFAULT_EXECUTION_POLICY } from '@assemblr/shared';
import { decideRun, runTimeoutMs } from './run-rules.util';

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

  it('lets a failure that is a verdict answer, a fresh older result still counts as fresh', () => {
    expect(decideRun(request('manual', 10), { policy, lastCompletedAt: at(30), lastVerdictAt: at(2) }, now)).toBe('answered');
  });

  it('caps the definition timeout at the executor maximum', () => {
    expect(runTimeoutMs({ timeoutMs: 500 }, 60_000)).toBe(500);
    expect(runTimeoutMs({ timeoutMs: 600_000 }, 60_000)).toBe(60_000);
    expect(runTimeoutMs({ timeoutMs: 'soon' }, 60_000)).toBe(60_000);
    expect(runTimeoutMs({}, 60_000)).toBe(60_000);
  });
});
