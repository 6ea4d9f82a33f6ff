import type { ExecutionRecord, LatestExecutions, MetricEvent } from '@assemblr/shared';
import type { CompletedResult, FailureInfo, LatestState } from './read-model.types';

export const EMPTY_LATEST: LatestState = Object.freeze({ completed: null, failure: null });

export function completedFromRecord(record: ExecutionRecord): CompletedResult | null {
  if (record.status !== 'completed' || !record.completedAt) return null;
  return { executionId: record.id, completedAt: record.completedAt, result: record.result ?? null };
}

/** A completed event's execution, when the event carries its result (else it must be loaded). */
export function completedFromEvent(event: MetricEvent): CompletedResult | null {
  if (event.type !== 'completed' || event.result === undefined || !event.completedAt) return null;
  return { executionId: event.executionId, completedAt: new Date(event.completedAt), result: event.result };
}

export function failureFromRecord(record: ExecutionRecord): FailureInfo | null {
  if (record.status !== 'failed' || !record.completedAt) return null;
  return { executionId: record.id, at: record.completedAt, message: record.error ?? 'failed' };
}

export function latestFromExecutions(latest: LatestExecutions | undefined): LatestState {
  if (!latest) return EMPTY_LATEST;
  return {
    completed: latest.completed ? completedFromRecord(latest.completed) : null,
    failure: latest.failure ? failureFromRecord(latest.failure) : null,
  };
}

/** The state after a run completed, or null when it is not newer than what is known. */
export function withCompleted(latest: LatestState, completed: CompletedResult): LatestState | null {
  const current = latest.completed;
  if (current && (current.executionId === completed.executionId || current.completedAt.getTime() > completed.completedAt.getTime())) return null;
  const failure = latest.failure && latest.failure.at.getTime() > completed.completedAt.getTime() ? latest.failure : null;
  return { completed, failure };
}

/** The state after a run failed, or null when the failure is older than the result or the known failure. */
export function withFailure(latest: LatestState, failure: FailureInfo): LatestState | null {
  if (latest.completed && failure.at.getTime() <= latest.completed.completedAt.getTime()) return null;
  const current = latest.failure;
  if (current && (current.executionId === failure.executionId || current.at.getTime() > failure.at.getTime())) return null;
  return { completed: latest.completed, failure };
}

/** Same executions at the same times (what revalidation compares). */
export function sameLatest(a: LatestState, b: LatestState): boolean {
  const sameCompleted =
    a.completed === b.completed ||
    (!!a.completed && !!b.completed && a.completed.executionId === b.completed.executionId && a.completed.completedAt.getTime() === b.completed.completedAt.getTime());
  const sameFailure =
    a.failure === b.failure ||
    (!!a.failure && !!b.failure && a.failure.executionId === b.failure.executionId && a.failure.at.getTime() === b.failure.at.getTime() && a.failure.message === b.failure.message);
  return sameCompleted && sameFailure;
}
