import { DEFAULT_EXECUTION_POLICY, type ExecutionPolicy, ManualClock } from '@assemblr/shared';
import { backoffEnd, type MetricScheduleState, ScheduleDecider, type ScheduleRules } from './schedule-decision.util';

const rules: ScheduleRules = { maxJitterMs: 0, backoff: { baseMs: 60_000, capMs: 3_600_000 } };
const id = '6f1c1c7e-8a8e-4a55-9d0c-1b2f3e4d5a6b';

function policy(cron: string, timezone = 'UTC', overrides: Partial<ExecutionPolicy> = {}): string {
  return JSON.stringify({ ...DEFAULT_EXECUTION_POLICY, mode: 'scheduled', schedule: { cron, timezone }, ...overrides });
}

function state(overrides: Partial<MetricScheduleState> = {}): MetricScheduleState {
  return {
    metricId: id,
    policyJson: policy('*/5 * * * *'),
    nextRunAt: null,
    consecutiveFailures: 0,
    lastCompletedAt: null,
    lastFailedAt: null,
    inFlight: false,
    ...overrides,
  };
}

const at = (iso: string) => new Date(iso);
const decideAt = (clock: ManualClock, s: MetricScheduleState, r: ScheduleRules = rules) => new ScheduleDecider(clock.now(), r).decide(s);

describe('ScheduleDecider', () => {
  const clock = new ManualClock('2026-11-27T10:02:00Z');
  beforeEach(() => clock.set('2026-11-27T10:02:00Z'));

  it('runs a metric that never ran at once, naming the current slot, and looks again at the next slot', () => {
    expect(decideAt(clock, state({ nextRunAt: at('2026-11-27T10:01:30Z') }))).toEqual({
      action: 'run',
      slot: at('2026-11-27T10:00:00Z'),
      nextRunAt: at('2026-11-27T10:05:00Z'),
    });
  });

  it('does not run before next_run_at, and runs from it on', () => {
    const s = state({ nextRunAt: at('2026-11-27T10:05:00Z'), lastCompletedAt: at('2026-11-27T10:00:02Z') });
    expect(decideAt(clock, s)).toEqual({ action: 'skip', reason: 'not_due', nextRunAt: at('2026-11-27T10:05:00Z') });
    clock.set('2026-11-27T10:04:59.999Z');
    expect(decideAt(clock, s).action).toBe('skip');
    clock.set('2026-11-27T10:05:00Z');
    expect(decideAt(clock, s)).toEqual({ action: 'run', slot: at('2026-11-27T10:05:00Z'), nextRunAt: at('2026-11-27T10:10:00Z') });
  });

  it('runs missed slots once: after downtime only the latest slot is requested and the next is in the future', () => {
    clock.set('2026-11-27T13:47:10Z');
    const s = state({ nextRunAt: at('2026-11-27T10:05:00Z'), lastCompletedAt: at('2026-11-27T10:00:02Z') });
    const decision = decideAt(clock, s);
    expect(decision).toEqual({ action: 'run', slot: at('2026-11-27T13:45:00Z'), nextRunAt: at('2026-11-27T13:50:00Z') });
    // the row now points past `now`: a second look at the same instant does nothing
    expect(decideAt(clock, { ...s, nextRunAt: decision.nextRunAt }).action).toBe('skip');
  });

  it('runs every slot even when the ttl equals the cron period (the previous slot’s result does not cover this one)', () => {
    clock.set('2026-11-27T10:05:00Z');
    const s = state({ nextRunAt: at('2026-11-27T10:05:00Z'), lastCompletedAt: at('2026-11-27T10:00:01Z') });
    expect(decideAt(clock, s).action).toBe('run');
  });

  it('skips a slot whose fresh result already exists (e.g. a refresh just before the jittered run)', () => {
    clock.set('2026-11-27T10:05:20Z');
    const s = state({ nextRunAt: at('2026-11-27T10:05:20Z'), lastCompletedAt: at('2026-11-27T10:05:03Z') });
    expect(decideAt(clock, s)).toEqual({ action: 'skip', reason: 'fresh', nextRunAt: at('2026-11-27T10:10:00Z') });
  });

  it('runs when the in-slot result is no longer fresh (ttl 0)', () => {
    clock.set('2026-11-27T10:05:20Z');
    const s = state({ policyJson: policy('*/5 * * * *', 'UTC', { ttlSeconds: 0 }), nextRunAt: at('2026-11-27T10:05:00Z'), lastCompletedAt: at('2026-11-27T10:05:03Z') });
    expect(decideAt(clock, s).action).toBe('run');
  });

  it('skips a running metric and moves on to the next slot', () => {
    expect(decideAt(clock, state({ nextRunAt: at('2026-11-27T10:00:00Z'), inFlight: true }))).toEqual({
      action: 'skip',
      reason: 'running',
      nextRunAt: at('2026-11-27T10:05:00Z'),
    });
  });

  it('takes a metric that is no longer scheduled (on_demand, hand edit) off the schedule', () => {
    const onDemand = JSON.stringify(DEFAULT_EXECUTION_POLICY);
    expect(decideAt(clock, state({ policyJson: onDemand, nextRunAt: at('2026-11-27T10:00:00Z') }))).toEqual({
      action: 'skip',
      reason: 'unscheduled',
      nextRunAt: null,
    });
  });

  it('takes a metric with a broken stored policy off the schedule and says why', () => {
    const broken = policy('99 * * * *');
    const decision = decideAt(clock, state({ policyJson: broken, nextRunAt: at('2026-11-27T10:00:00Z') }));
    expect(decision).toMatchObject({ action: 'skip', reason: 'invalid_policy', nextRunAt: null });
    expect(decision.action === 'skip' && decision.errors?.join()).toMatch(/execution_policy\.schedule\.cron/);
    expect(decideAt(clock, state({ policyJson: 'null' }))).toMatchObject({ reason: 'invalid_policy' });
  });

  it('follows a changed schedule at the next claim (the slot is named by the policy it finds)', () => {
    // next_run_at was computed for */5; an operator switched the metric to hourly at :30
    const hourly = policy('30 * * * *', 'UTC', { ttlSeconds: 3600 });
    const s = state({ policyJson: hourly, nextRunAt: at('2026-11-27T10:00:00Z'), lastCompletedAt: at('2026-11-27T09:30:04Z') });
    // the 09:30 slot's result is still fresh: nothing to do until 10:30
    expect(decideAt(clock, s)).toEqual({ action: 'skip', reason: 'fresh', nextRunAt: at('2026-11-27T10:30:00Z') });
    // had it not run at 09:30, the 09:30 slot would run now
    expect(decideAt(clock, { ...s, lastCompletedAt: at('2026-11-27T09:25:00Z') })).toMatchObject({ action: 'run', slot: at('2026-11-27T09:30:00Z') });
  });

  describe('time zones and DST', () => {
    it('keeps 09:00 wall-clock in New York across spring-forward (14:00Z before, 13:00Z after)', () => {
      const p = policy('0 9 * * *', 'America/New_York');
      clock.set('2026-03-07T14:00:00Z');
      expect(decideAt(clock, state({ policyJson: p, nextRunAt: at('2026-03-07T14:00:00Z') }))).toEqual({
        action: 'run',
        slot: at('2026-03-07T14:00:00Z'),
        nextRunAt: at('2026-03-08T13:00:00Z'),
      });
    });

    it('fires a slot inside the spring-forward gap once, at the first valid instant (02:30 New York on 2026-03-08)', () => {
      const p = policy('30 2 * * *', 'America/New_York');
      clock.set('2026-03-07T07:30:00Z');
      const first = decideAt(clock, state({ policyJson: p, nextRunAt: at('2026-03-07T07:30:00Z') }));
      expect(first.action).toBe('run');
      const gapRun = first.nextRunAt!;
      expect(gapRun.getTime()).toBeGreaterThanOrEqual(at('2026-03-08T07:00:00Z').getTime()); // 03:00 EDT
      expect(gapRun.getTime()).toBeLessThan(at('2026-03-08T08:00:00Z').getTime());
      clock.set(gapRun);
      const second = decideAt(clock, state({ policyJson: p, nextRunAt: gapRun, lastCompletedAt: at('2026-03-07T07:30:05Z') }));
      expect(second).toMatchObject({ action: 'run', slot: gapRun, nextRunAt: at('2026-03-09T06:30:00Z') });
    });

    it('fires an autumn-repeated wall time once (02:30 Berlin happens twice on 2026-10-25)', () => {
      const p = policy('30 2 * * *', 'Europe/Berlin');
      clock.set('2026-10-25T00:30:00Z'); // 02:30 CEST, the first 02:30
      const first = decideAt(clock, state({ policyJson: p, nextRunAt: at('2026-10-25T00:30:00Z') }));
      expect(first.action).toBe('run');
      expect(first.nextRunAt!.getTime()).toBeGreaterThan(at('2026-10-25T12:00:00Z').getTime());
      // an hour later the wall clock reads 02:30 again (CET): nothing is due
      clock.set('2026-10-25T01:30:00Z');
      expect(decideAt(clock, state({ policyJson: p, nextRunAt: first.nextRunAt })).action).toBe('skip');
    });
  });

  describe('failure backoff', () => {
    const failing = (failures: number, lastFailedAt: string) =>
      state({ nextRunAt: at('2026-11-27T10:00:00Z'), consecutiveFailures: failures, lastFailedAt: at(lastFailedAt), lastCompletedAt: at('2026-11-27T08:00:00Z') });

    it('waits base·2^(n−1) after the newest failure, then resumes at the first slot after it', () => {
      clock.set('2026-11-27T10:05:00Z');
      // 3 failures → 4 min after 10:03:00 → 10:07:00 → next slot 10:10
      expect(decideAt(clock, failing(3, '2026-11-27T10:03:00Z'))).toEqual({ action: 'skip', reason: 'backoff', nextRunAt: at('2026-11-27T10:10:00Z') });
      clock.set('2026-11-27T10:10:00Z');
      expect(decideAt(clock, failing(3, '2026-11-27T10:03:00Z')).action).toBe('run');
    });

    it('caps the delay', () => {
      expect(backoffEnd({ consecutiveFailures: 40, lastFailedAt: at('2026-11-27T10:00:00Z') }, rules.backoff)).toEqual(at('2026-11-27T11:00:00Z'));
      clock.set('2026-11-27T10:59:00Z');
      expect(decideAt(clock, failing(40, '2026-11-27T10:00:00Z'))).toMatchObject({ reason: 'backoff', nextRunAt: at('2026-11-27T11:00:00Z') });
      clock.set('2026-11-27T11:00:00Z');
      expect(decideAt(clock, failing(40, '2026-11-27T10:00:00Z')).action).toBe('run');
    });

    it('does not back off without a failure streak (a success resets consecutive_failures)', () => {
      expect(backoffEnd({ consecutiveFailures: 0, lastFailedAt: at('2026-11-27T10:01:00Z') }, rules.backoff)).toBeNull();
      expect(decideAt(clock, failing(0, '2026-11-27T10:01:59Z')).action).toBe('run');
    });
  });

  describe('jitter', () => {
    const jittered: ScheduleRules = { ...rules, maxJitterMs: 10 * 60_000 };

    it('offsets each metric deterministically and keeps the offset inside the slot', () => {
      clock.set('2026-11-27T10:00:00Z');
      const nexts = Array.from({ length: 200 }, (_, i) => {
        const s = state({ metricId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, nextRunAt: at('2026-11-27T10:00:00Z') });
        const decision = decideAt(clock, s, jittered);
        expect(decideAt(clock, s, jittered)).toEqual(decision);
        return decision.nextRunAt!.getTime();
      });
      for (const next of nexts) {
        expect(next).toBeGreaterThanOrEqual(at('2026-11-27T10:05:00Z').getTime());
        expect(next).toBeLessThan(at('2026-11-27T10:10:00Z').getTime()); // the bound (10 min) is cut to the 5-min slot
      }
      expect(new Set(nexts).size).toBeGreaterThan(100);
    });

    it('names the slot, not the jittered time, when the jittered run comes due', () => {
      clock.set('2026-11-27T10:07:13Z');
      expect(decideAt(clock, state({ nextRunAt: at('2026-11-27T10:07:13Z') }), jittered)).toMatchObject({ action: 'run', slot: at('2026-11-27T10:05:00Z') });
    });
  });
});

