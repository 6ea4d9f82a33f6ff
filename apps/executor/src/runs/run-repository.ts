import { Inject, Injectable } from '@nestjs/common';
import { type DataSourceKind, type ExecutionPolicy, type ExecutionStatus, type FailureKind, storedExecutionPolicy, VERDICT_FAILURE_KINDS } from '@assemblr/shared';
import type { RowQueryable } from '../database/named-statements';
import { Batcher, batchOptions } from '../database/batcher';
import type { ExecutorConfig } from '../executor.config';
import { EXECUTOR_CONFIG, EXECUTOR_DB } from '../executor.tokens';
import type { SourceRef } from '../integrations/integration';
import type { HolderExecution, MetricRunState } from './run-rules.util';

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
  WHERE m.id = ANY($1::uuid[])`;

const date = (v: unknown): Date | null => (v === null || v === undefined ? null : new Date(v as string));

/** Reads for runs; metric loads of concurrent runs share one query (see Batcher). */
@Injectable()
export class RunRepository {
  private readonly loads: Batcher<string, MetricForRun | null>;

  constructor(
    @Inject(EXECUTOR_DB) private readonly db: RowQueryable,
    @Inject(EXECUTOR_CONFIG) config: ExecutorConfig,
  ) {
    this.loads = new Batcher((ids) => this.loadMetrics(ids), batchOptions(config));
  }

  /** Status of one execution (a lease holder's), or null when it does not exist (yet). */
  async holderExecution(executionId: string): Promise<HolderExecution | null> {
    const [row] = await this.db.query(`SELECT status, completed_at, failure_kind FROM metric_executions WHERE id = $1`, [executionId]);
    if (!row) return null;
    return { status: row.status as ExecutionStatus, completedAt: date(row.completed_at), failureKind: (row.failure_kind as FailureKind | null) ?? null };
  }

  /** The metric with its data source and its latest finishes; null when the metric does not exist. */
  loadMetric(metricId: string): Promise<MetricForRun | null> {
    return this.loads.submit(metricId);
  }

  private async loadMetrics(ids: string[]): Promise<(MetricForRun | null)[]> {
    const rows = await this.db.query(LOAD_METRIC, [[...new Set(ids)], VERDICT_FAILURE_KINDS]);
    const byId = new Map(rows.map((row) => [row.id as string, toMetric(row)]));
    return ids.map((id) => byId.get(id) ?? null);
  }
}

function toMetric(row: Record<string, unknown>): MetricForRun {
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
