import { Injectable } from '@nestjs/common';
import { type ExecutionPolicy, MetricEntity } from '@assemblr/shared';
import { DataSource, type Repository } from 'typeorm';
import type { Dependent } from '../common/problem.exception';

export interface MetricWrite {
  name: string;
  description: string;
  tags: string[];
  dataSourceId: string;
  definition: Record<string, unknown>;
  executionPolicy: ExecutionPolicy;
  nextRunAt: Date | null;
}

/** Rows of `metrics` (executions are written by the ExecutionStore only). */
@Injectable()
export class MetricsRepository {
  private readonly rows: Repository<MetricEntity>;

  constructor(private readonly db: DataSource) {
    this.rows = db.getRepository(MetricEntity);
  }

  async create(input: MetricWrite): Promise<MetricEntity> {
    const saved = await this.rows.save(this.rows.create(input));
    // reload for the columns the database fills (consecutive_failures, timestamps)
    return (await this.findById(saved.id)) ?? saved;
  }

  list(): Promise<MetricEntity[]> {
    return this.rows.find({ order: { createdAt: 'ASC', id: 'ASC' } });
  }

  findById(id: string): Promise<MetricEntity | null> {
    return this.rows.findOneBy({ id });
  }

  async update(id: string, changes: Partial<MetricWrite>): Promise<MetricEntity | null> {
    if (Object.keys(changes).length) await this.rows.update({ id }, changes as never);
    return this.findById(id);
  }

  async hasCompletedExecution(id: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(`SELECT 1 FROM metric_executions WHERE metric_id = $1 AND status = 'completed' LIMIT 1`, [id]);
    return rows.length > 0;
  }

  /** Dashboards that show the metric (what blocks its deletion). */
  async dependents(id: string): Promise<Dependent[]> {
    const rows: { id: string; name: string }[] = await this.db.query(
      `SELECT DISTINCT d.id, d.name FROM dashboard_metrics dm JOIN dashboards d ON d.id = dm.dashboard_id
        WHERE dm.metric_id = $1 ORDER BY d.name, d.id LIMIT 100`,
      [id],
    );
    return rows.map((r) => ({ kind: 'dashboard', id: r.id, name: r.name }));
  }

  /** Deletes the metric and (by cascade) its executions; a foreign-key violation propagates. */
  async delete(id: string): Promise<boolean> {
    const result = await this.rows.delete({ id });
    return (result.affected ?? 0) > 0;
  }
}
