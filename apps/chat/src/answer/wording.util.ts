// How times and values read in a reply. Pure: every function takes "now" explicitly.

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const pad = (n: number) => String(n).padStart(2, '0');
const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;

/** "10:42 UTC". */
export function clockTime(at: Date): string {
  return `${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())} UTC`;
}

function utcDay(at: Date): number {
  return Math.floor(at.getTime() / DAY);
}

/** "just now", "3 minutes ago", "2 hours ago", "4 days ago". */
export function relativeAge(at: Date, now: Date): string {
  const ms = Math.max(0, now.getTime() - at.getTime());
  if (ms < MINUTE) return 'just now';
  if (ms < HOUR) return `${plural(Math.floor(ms / MINUTE), 'minute')} ago`;
  if (ms < DAY) return `${plural(Math.floor(ms / HOUR), 'hour')} ago`;
  return `${plural(Math.floor(ms / DAY), 'day')} ago`;
}

/**
 * When a result was computed, as a person says it: "10:42 UTC (3 minutes ago)" today,
 * "yesterday at 18:05 UTC", "24 Nov at 18:05 UTC (3 days ago)" before that.
 */
export function whenComputed(at: Date, now: Date): string {
  const ms = now.getTime() - at.getTime();
  const days = utcDay(now) - utcDay(at);
  // Within the hour (or from a clock slightly ahead) the time of day alone is clear, even across midnight.
  if (ms < HOUR || days <= 0) return `${clockTime(at)} (${relativeAge(at, now)})`;
  if (days === 1) return `yesterday at ${clockTime(at)}`;
  const year = at.getUTCFullYear() === now.getUTCFullYear() ? '' : ` ${at.getUTCFullYear()}`;
  return `${at.getUTCDate()} ${MONTHS[at.getUTCMonth()]}${year} at ${clockTime(at)} (${relativeAge(at, now)})`;
}

/** "Data from 10:42 UTC (3 minutes ago)". */
export function dataFrom(at: Date, now: Date): string {
  return `Data from ${whenComputed(at, now)}`;
}

const numberFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/** A result value as text: numbers grouped, at most two decimals; other JSON shortened. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (typeof value === 'number') return Number.isFinite(value) ? numberFormat.format(value) : String(value);
  if (typeof value === 'string') {
    const numeric = value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : null;
    return numeric !== null ? numberFormat.format(numeric) : `"${shorten(value, 80)}"`;
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return shorten(JSON.stringify(value), 80);
}

export function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
