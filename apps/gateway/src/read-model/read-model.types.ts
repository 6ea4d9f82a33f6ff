import type { ExecutionPolicy } from '@assemblr/shared';

/** What the read path needs of a metric definition. */
export interface MetricDefinition {
  id: string;
  name: string;
  policy: ExecutionPolicy;
}

/** The latest completed result of a metric. */
export interface CompletedResult {
  executionId: string;
  completedAt: Date;
  result: unknown;
}

/** The newest failure newer than the completed result (or any, when none completed). */
export interface FailureInfo {
  executionId: string;
  at: Date;
  message: string;
}

export interface LatestState {
  completed: CompletedResult | null;
  failure: FailureInfo | null;
}

/** One cached metric: definition and latest state, with a version bumped on every change. */
export interface MetricEntry {
  def: MetricDefinition;
  latest: LatestState;
  version: number;
}

export interface DashboardDefinition {
  id: string;
  name: string;
  metricIds: string[];
}

/** A run of a metric finished (from its event, or found by revalidation). */
export interface MetricOutcome {
  metricId: string;
  type: 'completed' | 'failed';
  executionId: string;
}
