import { cronSyntaxError, currentCronSlot, isValidTimeZone, nextCronSlot } from './cron.util';

describe('cron utilities', () => {
  it('validates five-field syntax', () => {
    expect(cronSyntaxError('*/5 * * * *')).toBeNull();
    expect(cronSyntaxError('0 9 * * 1-5')).toBeNull();
    expect(cronSyntaxError('* * * *')).toMatch(/5 fields/);
    expect(cronSyntaxError('0 0 * * * *')).toMatch(/5 fields/);
    expect(cronSyntaxError('61 * * * *')).not.toBeNull();
    expect(cronSyntaxError('not a cron')).not.toBeNull();
  });

  it('knows IANA zones', () => {
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });

  it('computes the next slot in the schedule zone', () => {
    const next = nextCronSlot({ cron: '0 9 * * *', timezone: 'Europe/Berlin' }, new Date('2026-11-27T10:00:00Z'));
    expect(next?.toISOString()).toBe('2026-11-28T08:00:00.000Z');
  });

  it('is strictly after the given time', () => {
    const at = new Date('2026-11-27T10:05:00.000Z');
    expect(nextCronSlot({ cron: '*/5 * * * *', timezone: 'UTC' }, at)?.toISOString()).toBe('2026-11-27T10:10:00.000Z');
  });

  it('fires once at the first valid instant inside a spring-forward gap (America/New_York 2026-03-08)', () => {
    // 02:30 local does not exist on 2026-03-08; clocks jump 02:00 → 03:00 (07:00Z).
    const next = nextCronSlot({ cron: '30 2 * * *', timezone: 'America/New_York' }, new Date('2026-03-08T05:00:00Z'));
    expect(next).not.toBeNull();
    expect(next!.getTime()).toBeGreaterThanOrEqual(new Date('2026-03-08T07:00:00Z').getTime());
    expect(next!.getTime()).toBeLessThan(new Date('2026-03-09T00:00:00Z').getTime());
    const after = nextCronSlot({ cron: '30 2 * * *', timezone: 'America/New_York' }, next!);
    expect(after?.toISOString()).toBe('2026-03-09T06:30:00.000Z');
  });

  it('fires once in an autumn repeat (Europe/Berlin 2026-10-25, 02:30 happens twice)', () => {
    const schedule = { cron: '30 2 * * *', timezone: 'Europe/Berlin' };
    const first = nextCronSlot(schedule, new Date('2026-10-24T23:00:00Z'));
    expect(first).not.toBeNull();
    const second = nextCronSlot(schedule, first!);
    // the next one is the following day, not the repeated 02:30 an hour later
    expect(second!.getTime() - first!.getTime()).toBeGreaterThan(20 * 3600_000);
  });

  it('keeps wall-clock time across DST: 09:00 New York is 14:00Z in winter and 13:00Z in summer', () => {
    const schedule = { cron: '0 9 * * 1-5', timezone: 'America/New_York' };
    expect(nextCronSlot(schedule, new Date('2026-03-06T15:00:00Z'))?.toISOString()).toBe('2026-03-09T13:00:00.000Z');
    expect(nextCronSlot(schedule, new Date('2026-03-05T15:00:00Z'))?.toISOString()).toBe('2026-03-06T14:00:00.000Z');
  });

  it('names the current slot at or before a time', () => {
    const schedule = { cron: '*/5 * * * *', timezone: 'UTC' };
    expect(currentCronSlot(schedule, new Date('2026-11-27T10:07:30Z'))?.toISOString()).toBe('2026-11-27T10:05:00.000Z');
    expect(currentCronSlot(schedule, new Date('2026-11-27T10:05:00Z'))?.toISOString()).toBe('2026-11-27T10:05:00.000Z');
  });
});
