import { DEFAULT_EXECUTION_POLICY } from './execution-policy';
import { nextSlotWithJitter, resultCoversSlot, scheduleNextRunAt, slotJitterMs } from './schedule.util';

const id = '6f1c1c7e-8a8e-4a55-9d0c-1b2f3e4d5a6b';
const scheduled = { ...DEFAULT_EXECUTION_POLICY, mode: 'scheduled' as const, schedule: { cron: '*/5 * * * *', timezone: 'UTC' } };
const now = new Date('2026-11-27T10:02:00.000Z');

describe('scheduleNextRunAt', () => {
  it('is null for on-demand metrics', () => {
    expect(scheduleNextRunAt(DEFAULT_EXECUTION_POLICY, now, { metricId: id, neverRun: true })).toBeNull();
  });
  it('is now for a scheduled metric that never ran', () => {
    expect(scheduleNextRunAt(scheduled, now, { metricId: id, neverRun: true })).toEqual(now);
  });
  it('is the next slot otherwise', () => {
    expect(scheduleNextRunAt(scheduled, now, { metricId: id, neverRun: false })?.toISOString()).toBe('2026-11-27T10:05:00.000Z');
  });
});

describe('jitter', () => {
  it('is deterministic per metric and inside the bound', () => {
    expect(slotJitterMs(id, 30_000)).toBe(slotJitterMs(id, 30_000));
    for (let i = 0; i < 200; i++) {
      const j = slotJitterMs(`metric-${i}`, 30_000);
      expect(j).toBeGreaterThanOrEqual(0);
      expect(j).toBeLessThan(30_000);
    }
    expect(slotJitterMs(id, 0)).toBe(0);
  });
  it('spreads metrics over the window', () => {
    const offsets = new Set(Array.from({ length: 100 }, (_, i) => Math.floor(slotJitterMs(`m${i}`, 10_000) / 1000)));
    expect(offsets.size).toBeGreaterThan(5);
  });
  it('never pushes a run past its slot, even when the jitter bound exceeds the slot length', () => {
    for (let i = 0; i < 100; i++) {
      const at = nextSlotWithJitter({ cron: '* * * * *', timezone: 'UTC' }, now, `m${i}`, 10 * 60_000)!;
      expect(at.getTime()).toBeGreaterThanOrEqual(new Date('2026-11-27T10:03:00Z').getTime());
      expect(at.getTime()).toBeLessThan(new Date('2026-11-27T10:04:00Z').getTime());
    }
  });
});

describe('resultCoversSlot', () => {
  const p = { ttlSeconds: 300, maxStalenessSeconds: 3600 };
  const t = (iso: string) => new Date(iso);
  const slot = t('2026-11-27T10:05:00Z');
  const following = t('2026-11-27T10:10:00Z');
  const now = t('2026-11-27T10:05:01Z');

  it('needs a result that is fresh now', () => {
    expect(resultCoversSlot(p, null, slot, following, now)).toBe(false);
    expect(resultCoversSlot({ ttlSeconds: 0, maxStalenessSeconds: 10 }, slot, slot, following, now)).toBe(false);
  });

  it('is covered by a fresh result computed at or after the slot', () => {
    expect(resultCoversSlot(p, slot, slot, following, now)).toBe(true);
  });

  it('runs every slot when ttl equals the cron period (no every-other-slot trap)', () => {
    // the 10:00 run finished at 10:00:00.300: 300.7 s old at now, but even if it were 299 s old it
    // would expire before 10:10, so the 10:05 slot runs
    expect(resultCoversSlot(p, t('2026-11-27T10:00:02Z'), slot, following, now)).toBe(false);
  });

  it('skips a slot whose earlier result stays fresh past the following slot (ttl longer than the period)', () => {
    expect(resultCoversSlot({ ttlSeconds: 3600, maxStalenessSeconds: 3600 }, t('2026-11-27T09:58:00Z'), slot, following, now)).toBe(true);
  });

  it('runs when nothing follows the slot and the result predates it', () => {
    expect(resultCoversSlot(p, t('2026-11-27T10:04:00Z'), slot, null, now)).toBe(false);
  });
});
