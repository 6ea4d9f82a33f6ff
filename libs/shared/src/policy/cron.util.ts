import { Cron } from 'croner';

/** A wall-clock schedule: a five-field cron expression read in an IANA time zone. */
export interface Schedule {
  cron: string;
  timezone: string;
}

/** True when `zone` is an IANA time zone this runtime knows (e.g. `Europe/Berlin`, `UTC`). */
export function isValidTimeZone(zone: string): boolean {
  if (!zone || zone.trim() !== zone) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Returns null when `expression` is a valid five-field cron expression, else a message saying why not. */
export function cronSyntaxError(expression: string): string | null {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) {
    return `expected 5 fields (minute hour day-of-month month day-of-week), got ${fields.length}`;
  }
  try {
    const job = new Cron(expression, { paused: true, timezone: 'UTC' });
    if (job.nextRun(new Date('2000-01-01T00:00:00Z')) === null) return 'the expression never fires';
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : 'invalid cron expression';
  }
}

/**
 * The first slot of `schedule` strictly after `after`, computed in the schedule's time zone
 * (DST-correct: a slot inside a spring-forward gap fires once at the first valid instant, a slot in
 * an autumn repeat fires once). Returns null when the expression never fires again.
 */
export function nextCronSlot(schedule: Schedule, after: Date): Date | null {
  // Vixie-cron semantics: when both day-of-month and day-of-week are restricted, either may match.
  const job = new Cron(schedule.cron, { paused: true, timezone: schedule.timezone, domAndDow: false });
  return job.nextRun(after);
}

/** The latest slot at or before `at` (within `lookbackMs`), or null if none: used to name a due slot. */
export function currentCronSlot(schedule: Schedule, at: Date, lookbackMs = 366 * 24 * 3600 * 1000): Date | null {
  const job = new Cron(schedule.cron, { paused: true, timezone: schedule.timezone, domAndDow: false });
  const previous = job.previousRuns(1, new Date(at.getTime() + 1));
  const slot = previous[0];
  if (!slot || at.getTime() - slot.getTime() > lookbackMs) return null;
  return slot;
}
