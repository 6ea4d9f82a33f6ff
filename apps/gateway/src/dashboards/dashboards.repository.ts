import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { returnedRows } from '../common/pg.util';
import type { DashboardRecord } from './dto/dashboard.response';

type Row = { id: string; name: string; metric_ids: string[]; created_at: Date; updated_at: Date };

const SELECT = `SELECT d.id, d.name, d.created_at, d.updated_at,
  COALESCE((SELECT array_agg(dm.metric_id::text ORDER BY dm.position) FROM dashboard_metrics dm WHERE dm.dashboard_id = d.id), '{}') AS metric_ids
  FROM dashboards d`;

const toRecord = (r: Row): DashboardRecord => ({ id: r.id, name: r.name, metricIds: r.metric_ids, createdAt: new Date(r.created_at), updatedAt: new Date(r.updated_at) });

/** Rows of `dashboards` and their ordered `dashboard_metrics`. */
@Injectable()
export class DashboardsRepository {
  constructor(private readonly db: DataSource) {}

  async create(name: string, metricIds: string[]): Promise<DashboardRecord> {
    const id = await this.db.transaction(async (tx) => {
      const rows: { id: string }[] = await tx.query(`INSERT INTO dashboards (name) VALUES ($1) RETURNING id`, [name]);
      await this.setMetrics(tx, rows[0].id, metricIds);
      return rows[0].id;
    });
    return (await this.findById(id))!;
  }

  async list(): Promise<DashboardRecord[]> {
    const rows: Row[] = await this.db.query(`${SELECT} ORDER BY d.created_at, d.id`);
    return rows.map(toRecord);
  }

  async findById(id: string): Promise<DashboardRecord | null> {
    const rows: Row[] = await this.db.query(`${SELECT} WHERE d.id = $1`, [id]);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async update(id: string, changes: { name?: string; metricIds?: string[] }): Promise<DashboardRecord | null> {
    await this.db.transaction(async (tx) => {
      await tx.query(`UPDATE dashboards SET name = COALESCE($2, name), updated_at = now() WHERE id = $1`, [id, changes.name ?? null]);
      if (changes.metricIds) {
        await tx.query(`DELETE FROM dashboard_metrics WHERE dashboard_id = $1`, [id]);
        await this.setMetrics(tx, id, changes.metricIds);
      }
    });
    return this.findById(id);
  }

  async delete(id: string): Promise<boolean> {
    return returnedRows(await this.db.query(`DELETE FROM dashboards WHERE id = $1 RETURNING id`, [id])).length > 0;
  }

  /** Which of the ids name existing metrics. */
  async existingMetricIds(ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows: { id: string }[] = await this.db.query(`SELECT id FROM metrics WHERE id = ANY($1::uuid[])`, [ids]);
    return new Set(rows.map((r) => r.id));
  }

  private async setMetrics(tx: EntityManager, dashboardId: string, metricIds: string[]): Promise<void> {
    if (metricIds.length === 0) return;
    await tx.query(
      `INSERT INTO dashboard_metrics (dashboard_id, position, metric_id)
       SELECT $1, ord - 1, id FROM unnest($2::uuid[]) WITH ORDINALITY AS t(id, ord)`,
      [dashboardId, metricIds],
    );
  }
}
