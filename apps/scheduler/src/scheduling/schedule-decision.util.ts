import {
  resultCoversSlot,
  type BackoffOptions,
  currentCronSlot,
  type ExecutionPolicy,
  failureBackoffMs,
  nextCronSlot,
  parseExecutionPolicy,
  type Schedule,
  slotJitterMs,
  type Validated,
} from '@assemblr/shared';

/** What the scheduler knows about one metric when it decides (one claimed row). */
export interface MetricScheduleState {
  metricId: string;
  /** The stored `execution_policy` as JSON text (hand edits included). */
  policyJson: string;
  nextRunAt: Date | null;
  consecutiveFailures: number;
  lastCompletedAt: Date | null;
  /** The newest failed execution's `completed_at`. */
  lastFailedAt: Date | null;
  /** A `running` execution row exists or the metric's lease is held. */
  inFlight: boolean;
}

export interface ScheduleRules {
  /** Upper bound of the per-metric offset inside a slot (0 = none). */
  maxJitterMs: number;
  backoff: BackoffOptions;
}

export const SKIP_REASONS = ['unscheduled', 'invalid_policy', 'not_due', 'running', 'fresh', 'backoff', 'already_requested'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

/** `nextRunAt` is what the claimed row's `next_run_at` becomes (null: the metric leaves the schedule). */
export type ScheduleDecision =
  | { action: 'run'; slot: Date; nextRunAt: Date | null }
  | { action: 'skip'; reason: SkipReason; nextRunAt: Date | null; errors?: string[] };

interface SlotsAtNow {
  /** The latest slot at or before now: the slot a due run is for. */
  current: Date | null;
  /** The first slot after now. */
  next: Date | null;
  /** Length of the slot starting at `next` (bounds the jitter). */
  nextLength: number;
}

// A sweep may see thousands of distinct schedules at worst; the memo is cleared rather than grown past this.
const MEMO_LIMIT = 10_000;

/**
 * The scheduling rules for one instant `now`. Pure apart from memoising: metrics that share a policy
 * text or a schedule share one validation and one cron computation (a cron step costs ~50 µs, which
 * would otherwise dominate a sweep over 100k metrics).
 */
export class ScheduleDecider {
  private readonly policies = new Map<string, Validated<ExecutionPolicy>>();
  private readonly slots = new Map<string, SlotsAtNow>();

  constructor(
    readonly now: Date,
    private readonly rules: ScheduleRules,
  ) {}

  /**
   * Whether a claimed metric runs now, and when the scheduler looks at it next. A due slot runs once
   * (missed slots collapse into the latest one) unless the metric is running, its result already
   * covers this slot, or it is backing off after failures.
   */
  decide(state: MetricScheduleState): ScheduleDecision {
    const parsed = this.policy(state.policyJson);
    if (!parsed.ok) return { action: 'skip', reason: 'invalid_policy', nextRunAt: null, errors: parsed.errors.map((e) => `${e.path}: ${e.message}`) };
    const policy = parsed.value;
    if (policy.mode !== 'scheduled' || !policy.schedule) return { action: 'skip', reason: 'unscheduled', nextRunAt: null };
    if (state.nextRunAt && state.nextRunAt > this.now) return { action: 'skip', reason: 'not_due', nextRunAt: state.nextRunAt };
    const slots = this.slotsOf(policy.schedule);
    const following = slots.next && this.withJitter(slots.next, slots.nextLength, state.metricId);
    if (state.inFlight) return { action: 'skip', reason: 'running', nextRunAt: following };
    // A never-run metric created before its cron's first slot still needs a name for its request.
    const slot = slots.current ?? state.nextRunAt ?? this.now;
    if (resultCoversSlot(policy, state.lastCompletedAt, slot, slots.next, this.now)) return { action: 'skip', reason: 'fresh', nextRunAt: following };
    const backoffUntil = backoffEnd(state, this.rules.backoff);
    if (backoffUntil && backoffUntil > this.now) {
      return { action: 'skip', reason: 'backoff', nextRunAt: this.firstSlotAtOrAfter(policy.schedule, backoffUntil, state.metricId) };
    }
    return { action: 'run', slot, nextRunAt: following };
  }

  /**
   * When to first look at a metric that was put on a schedule behind the API's back (next_run_at NULL):
   * its next slot with jitter, as the API computes on a policy change; null unless validly scheduled.
   */
  firstLook(metricId: string, policyJson: string): Date | null {
    const parsed = this.policy(policyJson);
    if (!parsed.ok || parsed.value.mode !== 'scheduled' || !parsed.value.schedule) return null;
    const slots = this.slotsOf(parsed.value.schedule);
    return slots.next && this.withJitter(slots.next, slots.nextLength, metricId);
  }

  private policy(json: string): Validated<ExecutionPolicy> {
    let parsed = this.policies.get(json);
    if (!parsed) {
      parsed = parsePolicyJson(json);
      if (this.policies.size >= MEMO_LIMIT) this.policies.clear();
      this.policies.set(json, parsed);
    }
    return parsed;
  }

  private slotsOf(schedule: Schedule): SlotsAtNow {
    const key = `${schedule.timezone}\u0000${schedule.cron}`;
    let slots = this.slots.get(key);
    if (!slots) {
      const next = nextCronSlot(schedule, this.now);
      const after = next && nextCronSlot(schedule, next);
      slots = { current: currentCronSlot(schedule, this.now), next, nextLength: next && after ? after.getTime() - next.getTime() : Number.POSITIVE_INFINITY };
      if (this.slots.size >= MEMO_LIMIT) this.slots.clear();
      this.slots.set(key, slots);
    }
    return slots;
  }

  private withJitter(slot: Date, slotLength: number, metricId: string): Date {
    return new Date(slot.getTime() + slotJitterMs(metricId, this.rules.maxJitterMs, slotLength));
  }

  private firstSlotAtOrAfter(schedule: Schedule, at: Date, metricId: string): Date | null {
    const slot = nextCronSlot(schedule, new Date(at.getTime() - 1));
    if (!slot) return null;
    const after = nextCronSlot(schedule, slot);
    return this.withJitter(slot, after ? after.getTime() - slot.getTime() : Number.POSITIVE_INFINITY, metricId);
  }
}


/** End of the failure backoff, counted from the newest failure; null without a failure streak. */
export function backoffEnd(state: Pick<MetricScheduleState, 'consecutiveFailures' | 'lastFailedAt'>, options: BackoffOptions): Date | null {
  if (state.consecutiveFailures <= 0 || !state.lastFailedAt) return null;
  return new Date(state.lastFailedAt.getTime() + failureBackoffMs(state.consecutiveFailures, options));
}

function parsePolicyJson(json: string): Validated<ExecutionPolicy> {
  try {
    const raw: unknown = JSON.parse(json);
    // A stored row always has a policy; null means a hand edit broke it.
    if (raw === null || typeof raw !== 'object') return { ok: false, errors: [{ path: 'execution_policy', message: 'must be an object' }] };
    return parseExecutionPolicy(raw, 'execution_policy');
  } catch {
    return { ok: false, errors: [{ path: 'execution_policy', message: 'is not valid JSON' }] };
  }
}
