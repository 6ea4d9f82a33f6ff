import type { DataSource } from 'typeorm';
import { DEFAULT_EXECUTION_POLICY, type ExecutionPolicy } from '../../libs/shared/src/policy/execution-policy';

/** Row factories for tests: each returns the new id. */
export class Factories {
  constructor(private readonly db: DataSource) {}

  async dataSource(overrides: { name?: string; kind?: string; config?: Record<string, unknown> } = {}): Promise<string> {
    const rows: { id: string }[] = await this.db.query(
      `INSERT INTO data_sources (name, kind, config) VALUES ($1, $2, $3) RETURNING id`,
      [overrides.name ?? 'Demo source', overrides.kind ?? 'demo', JSON.stringify(overrides.config ?? {})],
    );
    return rows[0].id;
  }

  async metric(
    overrides: {
      name?: string;
      description?: string;
      tags?: string[];
      dataSourceId?: string;
      definition?: Record<string, unknown>;
      policy?: Partial<ExecutionPolicy>;
      nextRunAt?: Date | null;
    } = {},
  ): Promise<string> {
    const dataSourceId = overrides.dataSourceId ?? (await this.dataSource());
    const policy = { ...DEFAULT_EXECUTION_POLICY, ...overrides.policy };
    const rows: { id: string }[] = await this.db.query(
      `INSERT INTO metrics (name, description, data_source_id, definition, execution_policy, next_run_at, tags)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [
        overrides.name ?? 'Test metric',
        overrides.description ?? '',
        dataSourceId,
        JSON.stringify(overrides.definition ?? { value: 42 }),
        JSON.stringify(policy),
        overrides.nextRunAt ?? null,
        overrides.tags ?? [],
      ],
    );
    return rows[0].id;
  }

  async dashboard(metricIds: string[], name = 'Test dashboard'): Promise<string> {
    const rows: { id: string }[] = await this.db.query(`INSERT INTO dashboards (name) VALUES ($1) RETURNING id`, [name]);
    const id = rows[0].id;
    for (const [position, metricId] of metricIds.entries()) {
      await this.db.query(`INSERT INTO dashboard_metrics (dashboard_id, position, metric_id) VALUES ($1, $2, $3)`, [id, position, metricId]);
    }
    return id;
  }
}
