import type { ExecutionRecord, LatestOutcomes, LatestRecord } from '@assemblr/shared';

export interface LatestChange {
  completed?: ExecutionRecord;
  failed?: ExecutionRecord;
}

type Completed = NonNullable<LatestRecord['completed']>;
type Failure = NonNullable<LatestRecord['failure']>;

export function completedOf(e: ExecutionRecord): Completed {
  return { executionId: e.id, startedAt: e.startedAt?.toISOString() ?? null, completedAt: (e.completedAt ?? new Date(0)).toISOString() };
}

export function failureOf(e: ExecutionRecord): Failure {
  return { executionId: e.id, at: (e.completedAt ?? new Date(0)).toISOString(), message: e.error ?? 'failed' };
}

const newer = <T>(a: T | null, b: T | null, time: (x: T) => string): T | null => {
  if (!a) return b;
  if (!b) return a;
  return Date.parse(time(b)) > Date.parse(time(a)) ? b : a;
};

/**
 * Folds an execution outcome into the read model: the newer completed execution and the newer failure
 * win, so writes may arrive in any order. Null when the change adds nothing (no write needed).
 */
export function mergeLatest(current: LatestRecord | null, metricId: string, change: LatestChange, now: Date): LatestRecord | null {
  const completed = newer(current?.completed ?? null, change.completed ? completedOf(change.completed) : null, (c) => c.completedAt);
  const failure = newer(current?.failure ?? null, change.failed ? failureOf(change.failed) : null, (f) => f.at);
  if (current && completed === current.completed && failure === current.failure) return null;
  return { metricId, completed, failure, updatedAt: now.toISOString() };
}

/** The read model as Postgres has it: latest completed execution and the newest failure. */
export function latestFromRecords(metricId: string, completed: ExecutionRecord | null, failed: ExecutionRecord | null, now: Date): LatestRecord {
  return { metricId, completed: completed ? completedOf(completed) : null, failure: failed ? failureOf(failed) : null, updatedAt: now.toISOString() };
}

/** The read model of each of `metricIds` from ExecutionStore.getLatestOutcomes (empty for a metric it did not mention). */
export function latestFromOutcomes(metricIds: readonly string[], outcomes: Map<string, LatestOutcomes>, now: Date): Map<string, LatestRecord> {
  return new Map(metricIds.map((id) => [id, latestFromRecords(id, outcomes.get(id)?.completed ?? null, outcomes.get(id)?.failure ?? null, now)]));
}

/** What identifies a record's outcomes (execution ids and their times), ignoring when it was written. */
export function outcomeSignature(record: LatestRecord): string {
  const time = (iso: string | undefined) => (iso === undefined ? '' : String(Date.parse(iso)));
  return [record.completed?.executionId ?? '', time(record.completed?.completedAt), record.failure?.executionId ?? '', time(record.failure?.at)].join('|');
}

/** True when two records name the same completed execution and failure, at the same times. */
export function sameOutcomes(a: LatestRecord, b: LatestRecord): boolean {
  return outcomeSignature(a) === outcomeSignature(b);
}
