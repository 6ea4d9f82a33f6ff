import {
  assessFreshness,
  type ExecutionPolicy,
  type ExecutionStatus,
  type FailureKind,
  nextCronSlot,
  resultCoversSlot,
  type RunRequest,
  VERDICT_FAILURE_KINDS,
} from '@assemblr/shared';

export interface MetricRunState {
  policy: ExecutionPolicy;
  /** completed_at of the latest completed execution. */
  lastCompletedAt: Date | null;
  /** completed_at of the newest finished execution that is a verdict (completed, or failed by the metric itself). */
  lastVerdictAt: Date | null;
}

export type RunDecision = 'run' | 'answered' | 'fresh';

/**
 * Whether a request still needs a run. A run that finished after the request was made answers it
 * (API.md: requests that arrive while a run is running are answered by that run), whether it completed
 * or failed on its own; infrastructure failures (lease lost, abandoned, shutdown) do not count. Requests
 * other than `manual` ones are also satisfied by a result that is fresh under the metric's policy
 * (at-least-once delivery, exactly-one effect); a manual refresh always runs. A scheduled slot's request
 * uses the scheduler's rule (`resultCoversSlot`), so a metric whose ttl equals its cron period still
 * runs every slot.
 */
export function decideRun(request: Pick<RunRequest, 'reason' | 'requestedAt' | 'slot'>, state: MetricRunState, now: Date): RunDecision {
  if (answers(state.lastVerdictAt, request.requestedAt)) return 'answered';
  if (request.reason === 'manual') return 'run';
  const schedule = state.policy.schedule;
  if (request.reason === 'schedule' && request.slot && schedule) {
    const slot = new Date(request.slot);
    return resultCoversSlot(state.policy, state.lastCompletedAt, slot, nextCronSlot(schedule, slot), now) ? 'fresh' : 'run';
  }
  return assessFreshness(state.policy, state.lastCompletedAt, now).state === 'fresh' ? 'fresh' : 'run';
}

export function answers(finishedAt: Date | null | undefined, requestedAt: string): boolean {
  return !!finishedAt && finishedAt.getTime() >= Date.parse(requestedAt);
}

/** The state of the execution a lease holder named, as a waiting request sees it. */
export interface HolderExecution {
  status: ExecutionStatus;
  completedAt: Date | null;
  failureKind: FailureKind | null;
}

/**
 * A request that finds the lease held joins the holder's run when that run is running: it started
 * before now ≥ requestedAt and will finish after it, so it answers the request (API.md). Acking keeps
 * the queue small: 500 requests for one running metric cost 500 acks, not 500 × k redeliveries. If the
 * run then ends without a verdict (lease lost, shutdown, crash), the holder's own request is redelivered
 * and runs again, later still. A finished verdict after the request answers it too. Anything else — the
 * holder is still deciding (no row yet) and may skip, which would not answer this request — retries.
 */
export function joinHolder(execution: HolderExecution | null, requestedAt: string): 'coalesced' | 'answered' | 'retry' {
  if (!execution) return 'retry';
  if (execution.status === 'running') return 'coalesced';
  const verdict = execution.status === 'completed' || (execution.status === 'failed' && (!execution.failureKind || VERDICT_FAILURE_KINDS.includes(execution.failureKind)));
  return verdict && answers(execution.completedAt, requestedAt) ? 'answered' : 'retry';
}

/** The run's time limit: the definition's `timeoutMs` when smaller than the executor's cap. */
export function runTimeoutMs(definition: Record<string, unknown>, maxRunMs: number): number {
  const asked = definition.timeoutMs;
  if (typeof asked === 'number' && Number.isFinite(asked) && asked > 0) return Math.min(Math.floor(asked), maxRunMs);
  return maxRunMs;
}
