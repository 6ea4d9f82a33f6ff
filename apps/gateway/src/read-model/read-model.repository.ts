import { Injectable } from '@nestjs/common';
import { storedExecutionPolicy } from '@assemblr/shared';
import { DataSource } from 'typeorm';
import type { DashboardDefinition, FailureInfo, MetricDefinition } from './read-model.types';

/** Latest completed execution (without its result) and newest failure newer than it. */
export interface LatestHead {
  metricId: string;
  completed: { executionId: string; completedAt: Date } | null;
  failure: FailureInfo | null;
}

type Row = Record<string, unknown>;

/** Batched reads behind the gateway's in-memory read model (misses and revalidation). */
@Injectable()
export class ReadModelRepository {
  constructor(private readonly db: DataSource) {}

  async loadMetricDefinitions(ids: readonly string[]): Promise<Map<string, MetricDefinition>> {
    const rows: Row[] = await this.db.query(`SELECT id, name, execution_policy FROM metrics WHERE id = ANY($1::uuid[])`, [ids]);
    return new Map(rows.map((r) => [r.id as string, { id: r.id as string, name: r.name as string, policy: storedExecutionPolicy(r.execution_policy) }]));
  }

  async loadDashboards(ids: readonly string[]): Promise<Map<string, DashboardDefinition>> {
    const rows: Row[] = await this.db.query(
      `SELECT d.id, d.name,
              COALESCE((SELECT array_agg(dm.metric_id::text ORDER BY dm.position) FROM dashboard_metrics dm WHERE dm.dashboard_id = d.id), '{}') AS metric_ids
         FROM dashboards d WHERE d.id = ANY($1::uuid[])`,
      [ids],
    );
    return new Map(rows.map((r) => [r.id as string, { id: r.id as string, name: r.name as string, metricIds: r.metric_ids as string[] }]));
  }

  /** Heads of the latest executions for many metrics in one query (results are fetched only when they changed). */
  async loadLatestHeads(metricIds: readonly string[]): Promise<Map<string, LatestHead>> {
    const rows: Row[] = await this.db.query(
      `SELECT m.id AS metric_id, c.id AS c_id, c.completed_at AS c_at, f.id AS f_id, f.completed_at AS f_at, f.error AS f_error
         FROM unnest($1::uuid[]) AS m(id)
         LEFT JOIN LATERAL (
           SELECT id, completed_at FROM metric_executions e
            WHERE e.metric_id = m.id AND e.status = 'completed' ORDER BY e.completed_at DESC LIMIT 1
         ) c ON true
         LEFT JOIN LATERAL (
           SELECT id, completed_at, error FROM metric_executions e
            WHERE e.metric_id = m.id AND e.status = 'failed' AND (c.completed_at IS NULL OR e.completed_at > c.completed_at)
            ORDER BY e.completed_at DESC LIMIT 1
         ) f ON true`,
      [metricIds],
    );
    return new Map(
      rows.map((r) => [
        r.metric_id as string,
        {
          metricId: r.metric_id as string,
          completed: r.c_id ? { executionId: r.c_id as string, completedAt: new Date(r.c_at as string) } : null,
          failure: r.f_id ? { executionId: r.f_id as string, at: new Date(r.f_at as string), message: (r.f_error as string | null) ?? 'failed' } : null,
        },
      ]),
    );
  }

  async loadResults(executionIds: readonly string[]): Promise<Map<string, unknown>> {
    if (executionIds.length === 0) return new Map();
    const rows: Row[] = await this.db.query(`SELECT id, result FROM metric_executions WHERE id = ANY($1::uuid[])`, [executionIds]);
    return new Map(rows.map((r) => [r.id as string, r.result ?? null]));
  }
}
