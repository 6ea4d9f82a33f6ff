import { Injectable } from '@nestjs/common';
import { ProblemException } from '../common/problem.exception';
import { ChangeBus } from '../read-model/change-bus.service';
import { DashboardsRepository } from './dashboards.repository';
import type { CreateDashboardDto } from './dto/create-dashboard.dto';
import type { DashboardRecord } from './dto/dashboard.response';
import type { UpdateDashboardDto } from './dto/update-dashboard.dto';

@Injectable()
export class DashboardsService {
  constructor(
    private readonly repository: DashboardsRepository,
    private readonly changes: ChangeBus,
  ) {}

  async create(input: CreateDashboardDto): Promise<DashboardRecord> {
    await this.assertMetricsExist(input.metricIds);
    const created = await this.repository.create(input.name, input.metricIds);
    this.changes.announce('dashboard', created.id);
    return created;
  }

  list(): Promise<DashboardRecord[]> {
    return this.repository.list();
  }

  async get(id: string): Promise<DashboardRecord> {
    const found = await this.repository.findById(id);
    if (!found) throw ProblemException.notFound('dashboard', id);
    return found;
  }

  async update(id: string, input: UpdateDashboardDto): Promise<DashboardRecord> {
    await this.get(id);
    if (input.metricIds) await this.assertMetricsExist(input.metricIds);
    const updated = await this.repository.update(id, input);
    if (!updated) throw ProblemException.notFound('dashboard', id);
    this.changes.announce('dashboard', id);
    return updated;
  }

  async delete(id: string): Promise<void> {
    if (!(await this.repository.delete(id))) throw ProblemException.notFound('dashboard', id);
    this.changes.announce('dashboard', id);
  }

  private async assertMetricsExist(metricIds: string[]): Promise<void> {
    const existing = await this.repository.existingMetricIds(metricIds);
    const errors = metricIds.flatMap((id, index) => (existing.has(id) ? [] : [{ path: `metricIds.${index}`, message: `metric ${id} does not exist` }]));
    if (errors.length) throw ProblemException.validation(errors);
  }
}
