import { Injectable } from '@nestjs/common';
import { type DataSourceKind, type ExecutionPolicy, storedExecutionPolicy, VERDICT_FAILURE_KINDS } from '@assemblr/shared';
import { DataSource } from 'typeorm';
import type { SourceRef } from '../integrations/integration';
import type { MetricRunState } from './run-rules.util';

/** Everything a run needs about its metric, read in one query under the lease. */
export interface MetricForRun extends MetricRunState {
  id: string;
  definition: Record<string, unknown>;
  policy: ExecutionPolicy;
  source: SourceRef;
  /** The execution left `running` by a previous holder, if any (we hold the lease: it is stale). */
  running: { id: string; workerId: string | null } | null;
}

const LOAD_METRIC = `
  SELECT m.id, m.definition, m.execution_policy, d.id AS source_id, d.kind AS source_kind, d.config AS source_config,
    (SELECT e.completed_at FROM metric_executions e
      WHERE e.metric_id = m.id AND e.status = 'completed' ORDER BY e.completed_at DESC LIMIT 1) AS last_completed_at,
    (SELECT e.completed_at FROM metric_executions e
      WHERE e.metric_id = m.id AND e.status = 'failed' AND (e.failure_kind IS NULL OR e.failure_kind = ANY($2::text[]))
      ORDER BY e.completed_at DESC LIMIT 1) AS last_verdict_failure_at,
    r.id AS running_id, r.worker_id AS running_worker_id
  FROM metrics m JOIN data_sources d ON d.id = m.data_source_id
  LEFT JOIN metric_executions r ON r.metric_id = m.id AND r.status = 'running'
  WHERE m.id = $1`;

type Row = Record<string, unknown>;

const date = (v: unknown): Date | null => (v === null || v === undefined ? null : new Date(v as string));

@Injectable()
export class RunRepository {
  constructor(private readonly db: DataSource) {}

  /** The metric with its data source and its latest finishes; null when the metric does not exist. */
  async loadMetric(metricId: string): Promise<MetricForRun | null> {
    const rows: Row[] = await this.db.query(LOAD_METRIC, [metricId, VERDICT_FAILURE_KINDS]);
    const row = rows[0];
    if (!row) return null;
    const lastCompletedAt = date(row.last_completed_at);
    const lastFailureAt = date(row.last_verdict_failure_at);
    const lastVerdictAt = !lastFailureAt || (lastCompletedAt && lastCompletedAt >= lastFailureAt) ? lastCompletedAt : lastFailureAt;
    return {
      id: row.id as string,
      definition: (row.definition ?? {}) as Record<string, unknown>,
      policy: storedExecutionPolicy(row.execution_policy),
      source: { id: row.source_id as string, kind: row.source_kind as DataSourceKind, config: (row.source_config ?? {}) as Record<string, unknown> },
      lastCompletedAt,
      lastVerdictAt,
      running: row.running_id ? { id: row.running_id as string, workerId: (row.running_worker_id as string | null) ?? null } : null,
    };
  }
}
