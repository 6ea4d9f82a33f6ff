import { assessFreshness, type ExecutionPolicy, type RunRequest } from '@assemblr/shared';

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
 * (at-least-once delivery, exactly-one effect); a manual refresh always runs.
 */
export function decideRun(request: Pick<RunRequest, 'reason' | 'requestedAt'>, state: MetricRunState, now: Date): RunDecision {
  if (answers(state.lastVerdictAt, request.requestedAt)) return 'answered';
  if (request.reason !== 'manual' && assessFreshness(state.policy, state.lastCompletedAt, now).state === 'fresh') return 'fresh';
  return 'run';
}

export function answers(finishedAt: Date | null | undefined, requestedAt: string): boolean {
  return !!finishedAt && finishedAt.getTime() >= Date.parse(requestedAt);
}

/** The run's time limit: the definition's `timeoutMs` when smaller than the executor's cap. */
export function runTimeoutMs(definition: Record<string, unknown>, maxRunMs: number): number {
  const asked = definition.timeoutMs;
  if (typeof asked === 'number' && Number.isFinite(asked) && asked > 0) return Math.min(Math.floor(asked), maxRunMs);
  return maxRunMs;
}
