import { Inject, Injectable } from '@nestjs/common';
import {
  CLOCK,
  type Clock,
  type DataSourceKind,
  type ExecutionPolicy,
  type ExecutionRecord,
  ExecutionStore,
  type FieldError,
  LOGGER,
  type Logger,
  type MetricEntity,
  parseExecutionPolicy,
  scheduleNextRunAt,
  storedExecutionPolicy,
} from '@assemblr/shared';
import { assertNoFieldErrors } from '../common/input-validation.util';
import { isForeignKeyViolation } from '../common/pg.util';
import { ProblemException } from '../common/problem.exception';
import { DataSourcesRepository } from '../data-sources/data-sources.repository';
import { MetricReader } from '../freshness/metric-reader.service';
import { ChangeBus } from '../read-model/change-bus.service';
import type { CreateMetricDto } from './dto/create-metric.dto';
import type { UpdateMetricDto } from './dto/update-metric.dto';
import { parseMetricDefinition } from './metric-definition.util';
import { type MetricWrite, MetricsRepository } from './metrics.repository';

/** Did the change touch what decides the next run (mode or schedule)? */
export function scheduleChanged(before: ExecutionPolicy, after: ExecutionPolicy): boolean {
  return before.mode !== after.mode || before.schedule?.cron !== after.schedule?.cron || before.schedule?.timezone !== after.schedule?.timezone;
}

/** Did the change alter what the metric computes (its query or its data source)? */
export function queryChanged(before: Pick<MetricEntity, 'definition' | 'dataSourceId'>, changes: Partial<MetricWrite>): boolean {
  if (changes.dataSourceId !== undefined && changes.dataSourceId !== before.dataSourceId) return true;
  return changes.definition !== undefined && JSON.stringify(changes.definition) !== JSON.stringify(before.definition);
}

@Injectable()
export class MetricsService {
  constructor(
    private readonly repository: MetricsRepository,
    private readonly dataSources: DataSourcesRepository,
    private readonly executions: ExecutionStore,
    private readonly changes: ChangeBus,
    private readonly reader: MetricReader,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async create(input: CreateMetricDto): Promise<MetricEntity> {
    const errors: FieldError[] = [];
    const kind = await this.dataSourceKind(input.dataSourceId, errors);
    const definition = kind ? parseMetricDefinition(kind, input.definition) : null;
    if (definition && !definition.ok) errors.push(...definition.errors);
    const policy = parseExecutionPolicy(input.executionPolicy);
    if (!policy.ok) errors.push(...policy.errors);
    assertNoFieldErrors(errors);
    const executionPolicy = (policy as { value: ExecutionPolicy }).value;
    const created = await this.insert({
      name: input.name,
      description: input.description ?? '',
      tags: input.tags ?? [],
      dataSourceId: input.dataSourceId,
      definition: (definition as { value: Record<string, unknown> }).value,
      executionPolicy,
      nextRunAt: scheduleNextRunAt(executionPolicy, this.clock.now(), { metricId: '', neverRun: true }),
    });
    this.changes.announce('metric', created.id);
    return created;
  }

  private async insert(write: MetricWrite): Promise<MetricEntity> {
    try {
      return await this.repository.create(write);
    } catch (err) {
      // the data source was deleted between the check and the insert
      if (isForeignKeyViolation(err)) assertNoFieldErrors([{ path: 'dataSourceId', message: `data source ${write.dataSourceId} does not exist` }]);
      throw err;
    }
  }

  list(): Promise<MetricEntity[]> {
    return this.repository.list();
  }

  async get(id: string): Promise<MetricEntity> {
    const found = await this.repository.findById(id);
    if (!found) throw ProblemException.notFound('metric', id);
    return found;
  }

  async update(id: string, input: UpdateMetricDto): Promise<MetricEntity> {
    const current = await this.get(id);
    const errors: FieldError[] = [];
    const changes: Partial<MetricWrite> = {};
    if (input.name !== undefined) changes.name = input.name;
    if (input.description !== undefined) changes.description = input.description;
    if (input.tags !== undefined) changes.tags = input.tags;
    if (input.dataSourceId !== undefined || input.definition !== undefined) {
      const dataSourceId = input.dataSourceId ?? current.dataSourceId;
      const kind = await this.dataSourceKind(dataSourceId, errors);
      const definition = kind ? parseMetricDefinition(kind, input.definition ?? current.definition) : null;
      if (definition && !definition.ok) errors.push(...definition.errors);
      if (definition?.ok) Object.assign(changes, { dataSourceId, definition: definition.value });
    }
    if (input.executionPolicy !== undefined) {
      const before = storedExecutionPolicy(current.executionPolicy);
      const policy = parseExecutionPolicy(input.executionPolicy, 'executionPolicy', before);
      if (!policy.ok) errors.push(...policy.errors);
      else {
        changes.executionPolicy = policy.value;
        if (scheduleChanged(before, policy.value)) changes.nextRunAt = await this.nextRunAt(id, policy.value);
      }
    }
    assertNoFieldErrors(errors);
    const updated = await this.repository.update(id, changes);
    if (!updated) throw ProblemException.notFound('metric', id);
    this.changes.announce('metric', id);
    if (queryChanged(current, changes)) this.recompute(id);
    return updated;
  }

  /** The stored result answers the old query: ask for a run of the new one at once (served until it lands). */
  private recompute(id: string): void {
    this.reader.refresh(id, false).catch((err: unknown) => this.logger.warn({ metricId: id, err: (err as Error).message }, 'could not request a run after a definition change'));
  }

  async delete(id: string): Promise<void> {
    await this.get(id);
    const dependents = await this.repository.dependents(id);
    if (dependents.length) throw ProblemException.dependents(`metric ${id}`, dependents);
    try {
      if (!(await this.repository.delete(id))) throw ProblemException.notFound('metric', id);
    } catch (err) {
      // a dashboard picked it up meanwhile
      if (!isForeignKeyViolation(err)) throw err;
      throw ProblemException.dependents(`metric ${id}`, await this.repository.dependents(id));
    }
    this.changes.announce('metric', id);
  }

  async listExecutions(id: string, limit: number): Promise<ExecutionRecord[]> {
    await this.get(id);
    return this.executions.listExecutions(id, limit);
  }

  private async nextRunAt(id: string, policy: ExecutionPolicy): Promise<Date | null> {
    if (policy.mode !== 'scheduled') return null;
    const neverRun = !(await this.repository.hasCompletedExecution(id));
    return scheduleNextRunAt(policy, this.clock.now(), { metricId: id, neverRun });
  }

  private async dataSourceKind(id: string, errors: FieldError[]): Promise<DataSourceKind | null> {
    const dataSource = await this.dataSources.findById(id);
    if (!dataSource) errors.push({ path: 'dataSourceId', message: `data source ${id} does not exist` });
    return dataSource?.kind ?? null;
  }
}
