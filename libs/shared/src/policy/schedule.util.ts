import { createHash } from 'node:crypto';
import { nextCronSlot, type Schedule } from './cron.util';
import type { ExecutionPolicy } from './execution-policy';
import { assessFreshness } from './freshness.util';

/**
 * Deterministic per-metric offset in [0, min(maxJitterMs, slot length)) so that thousands of metrics
 * on one cron do not fire in the same millisecond; the same metric always gets the same offset.
 */
export function slotJitterMs(metricId: string, maxJitterMs: number, slotLengthMs = Number.POSITIVE_INFINITY): number {
  const bound = Math.min(maxJitterMs, slotLengthMs);
  if (!(bound > 0)) return 0;
  const n = createHash('sha1').update(metricId).digest().readUInt32BE(0);
  return n % Math.floor(bound);
}

export interface NextRunOptions {
  metricId: string;
  /** The metric has no completed execution yet: it is due at once. */
  neverRun: boolean;
  /** Upper bound of the per-metric jitter (0 = none). */
  maxJitterMs?: number;
}

/**
 * When the scheduler should next look at a metric: null unless scheduled; `now` when it never ran;
 * otherwise the next cron slot after `now` in the schedule's zone, plus its jitter.
 */
export function scheduleNextRunAt(policy: ExecutionPolicy, now: Date, options: NextRunOptions): Date | null {
  if (policy.mode !== 'scheduled' || !policy.schedule) return null;
  if (options.neverRun) return now;
  return nextSlotWithJitter(policy.schedule, now, options.metricId, options.maxJitterMs ?? 0);
}

/** The next slot after `after` plus the metric's jitter (kept inside the slot); null if it never fires. */
export function nextSlotWithJitter(schedule: Schedule, after: Date, metricId: string, maxJitterMs: number): Date | null {
  const slot = nextCronSlot(schedule, after);
  if (!slot) return null;
  if (maxJitterMs <= 0) return slot;
  const following = nextCronSlot(schedule, slot);
  const slotLength = following ? following.getTime() - slot.getTime() : Number.POSITIVE_INFINITY;
  return new Date(slot.getTime() + slotJitterMs(metricId, maxJitterMs, slotLength));
}

/**
 * Whether the latest result already serves a due scheduled slot, so the slot's run can be skipped. It
 * must be fresh now and either computed at or after the slot (e.g. by a reader's refresh just before
 * it), or stay fresh until the following slot. The second clause keeps the API's "skip when fresh"
 * without its classic trap: with `*∕5` and ttl 300 the previous slot's result is still fresh (299 s)
 * when the next slot comes, and skipping it would run the metric only every other slot.
 */
export function resultCoversSlot(
  policy: Pick<ExecutionPolicy, 'ttlSeconds' | 'maxStalenessSeconds'>,
  lastCompletedAt: Date | null,
  slot: Date,
  followingSlot: Date | null,
  now: Date,
): boolean {
  if (!lastCompletedAt || assessFreshness(policy, lastCompletedAt, now).state !== 'fresh') return false;
  if (lastCompletedAt.getTime() >= slot.getTime()) return true;
  return followingSlot !== null && lastCompletedAt.getTime() + policy.ttlSeconds * 1000 >= followingSlot.getTime();
}
