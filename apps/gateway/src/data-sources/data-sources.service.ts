import { Injectable } from '@nestjs/common';
import type { DataSourceEntity } from '@assemblr/shared';
import { assertNoFieldErrors } from '../common/input-validation.util';
import { isForeignKeyViolation } from '../common/pg.util';
import { ProblemException } from '../common/problem.exception';
import { ChangeBus } from '../read-model/change-bus.service';
import { parseDataSourceConfig } from './data-source-config.util';
import { DataSourcesRepository } from './data-sources.repository';
import type { CreateDataSourceDto } from './dto/create-data-source.dto';
import type { UpdateDataSourceDto } from './dto/update-data-source.dto';

@Injectable()
export class DataSourcesService {
  constructor(
    private readonly repository: DataSourcesRepository,
    private readonly changes: ChangeBus,
  ) {}

  async create(input: CreateDataSourceDto): Promise<DataSourceEntity> {
    const config = parseDataSourceConfig(input.kind, input.config);
    if (!config.ok) throw ProblemException.validation(config.errors);
    return this.repository.create({ name: input.name, kind: input.kind, config: config.value });
  }

  list(): Promise<DataSourceEntity[]> {
    return this.repository.list();
  }

  async get(id: string): Promise<DataSourceEntity> {
    const found = await this.repository.findById(id);
    if (!found) throw ProblemException.notFound('data source', id);
    return found;
  }

  async update(id: string, input: UpdateDataSourceDto): Promise<DataSourceEntity> {
    const current = await this.get(id);
    if (input.kind !== undefined && input.kind !== current.kind) {
      assertNoFieldErrors([{ path: 'kind', message: `cannot be changed (is "${current.kind}"); create a new data source instead` }]);
    }
    const changes: Partial<Pick<DataSourceEntity, 'name' | 'config'>> = {};
    if (input.name !== undefined) changes.name = input.name;
    if (input.config !== undefined) {
      const config = parseDataSourceConfig(current.kind, input.config, current.config);
      if (!config.ok) throw ProblemException.validation(config.errors);
      changes.config = config.value;
    }
    const updated = await this.repository.update(id, changes);
    if (!updated) throw ProblemException.notFound('data source', id);
    this.changes.announce('data_source', id);
    return updated;
  }

  async delete(id: string): Promise<void> {
    await this.get(id);
    const dependents = await this.repository.dependents(id);
    if (dependents.length) throw ProblemException.dependents(`data source ${id}`, dependents);
    try {
      if (!(await this.repository.delete(id))) throw ProblemException.notFound('data source', id);
    } catch (err) {
      // a metric was created against it meanwhile
      if (!isForeignKeyViolation(err)) throw err;
      throw ProblemException.dependents(`data source ${id}`, await this.repository.dependents(id));
    }
    this.changes.announce('data_source', id);
  }
}
