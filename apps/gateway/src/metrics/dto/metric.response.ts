import { type ExecutionPolicy, type ExecutionRecord, type MetricEntity, storedExecutionPolicy } from '@assemblr/shared';

/** A metric as the API returns it. */
export interface MetricResponse {
  id: string;
  name: string;
  description: string;
  tags: string[];
  dataSourceId: string;
  definition: Record<string, unknown>;
  executionPolicy: ExecutionPolicy;
  /** When the scheduler next looks at it; null unless scheduled. */
  nextRunAt: string | null;
  consecutiveFailures: number;
  createdAt: string;
  updatedAt: string;
}

/** The one entity → response mapping for metrics. */
export function mapMetric(entity: MetricEntity): MetricResponse {
  return {
    id: entity.id,
    name: entity.name,
    description: entity.description,
    tags: entity.tags ?? [],
    dataSourceId: entity.dataSourceId,
    definition: entity.definition,
    executionPolicy: storedExecutionPolicy(entity.executionPolicy),
    nextRunAt: entity.nextRunAt ? entity.nextRunAt.toISOString() : null,
    consecutiveFailures: entity.consecutiveFailures,
    createdAt: entity.createdAt.toISOString(),
    updatedAt: entity.updatedAt.toISOString(),
  };
}

/** One row of `GET /api/metrics/:id/executions`. */
export interface ExecutionResponse {
  id: string;
  metricId: string;
  status: ExecutionRecord['status'];
  startedAt: string | null;
  completedAt: string | null;
  error: string | null;
  triggeredBy: ExecutionRecord['triggeredBy'];
  reason: ExecutionRecord['reason'];
  requestedAt: string;
  durationMs: number | null;
}

export function mapExecution(record: ExecutionRecord): ExecutionResponse {
  return {
    id: record.id,
    metricId: record.metricId,
    status: record.status,
    startedAt: record.startedAt?.toISOString() ?? null,
    completedAt: record.completedAt?.toISOString() ?? null,
    error: record.error,
    triggeredBy: record.triggeredBy,
    reason: record.reason,
    requestedAt: record.requestedAt.toISOString(),
    durationMs: record.durationMs,
  };
}
