import { Injectable } from '@nestjs/common';
import { DataSourceEntity, type DataSourceKind } from '@assemblr/shared';
import { DataSource, type Repository } from 'typeorm';
import type { Dependent } from '../common/problem.exception';

/** Rows of `data_sources`. */
@Injectable()
export class DataSourcesRepository {
  private readonly rows: Repository<DataSourceEntity>;

  constructor(private readonly db: DataSource) {
    this.rows = db.getRepository(DataSourceEntity);
  }

  create(input: { name: string; kind: DataSourceKind; config: Record<string, unknown> }): Promise<DataSourceEntity> {
    return this.rows.save(this.rows.create(input));
  }

  list(): Promise<DataSourceEntity[]> {
    return this.rows.find({ order: { createdAt: 'ASC', id: 'ASC' } });
  }

  findById(id: string): Promise<DataSourceEntity | null> {
    return this.rows.findOneBy({ id });
  }

  async update(id: string, changes: Partial<Pick<DataSourceEntity, 'name' | 'config'>>): Promise<DataSourceEntity | null> {
    if (Object.keys(changes).length) await this.rows.update({ id }, changes as never);
    return this.findById(id);
  }

  /** Metrics that read from the data source (what blocks its deletion). */
  async dependents(id: string): Promise<Dependent[]> {
    const rows: { id: string; name: string }[] = await this.db.query(`SELECT id, name FROM metrics WHERE data_source_id = $1 ORDER BY name, id LIMIT 100`, [id]);
    return rows.map((r) => ({ kind: 'metric', id: r.id, name: r.name }));
  }

  /** Deletes; false when there was no such row. A foreign-key violation propagates (pg code 23503). */
  async delete(id: string): Promise<boolean> {
    const result = await this.rows.delete({ id });
    return (result.affected ?? 0) > 0;
  }
}
