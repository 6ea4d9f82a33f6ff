import { ExecutionStore } from '@assemblr/shared';
import pino from 'pino';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database';
import { expectEventually } from '../../../../test/support/expect-eventually';
import { Factories } from '../../../../test/support/factories';
import { createTestNats, type TestNats } from '../../../../test/support/nats';
import type { GatewayConfig } from '../gateway.config';
import { ChangeBus } from './change-bus.service';
import { MetricOutcomes } from './metric-outcomes.service';
import { ReadModelRepository } from './read-model.repository';
import { ReadModelService } from './read-model.service';
import type { MetricOutcome } from './read-model.types';
import { RevalidatorService } from './revalidator.service';

// The read model against real PostgreSQL (and NATS for the change bus): misses, bounds, revalidation.
describe('ReadModelService + RevalidatorService (PostgreSQL)', () => {
  let db: TestDatabase;
  let nats: TestNats;
  let factories: Factories;
  let store: ExecutionStore;

  beforeAll(async () => {
    db = await createTestDatabase();
    nats = await createTestNats();
    factories = new Factories(db.dataSource);
    store = new ExecutionStore(db.dataSource);
  });
  afterAll(async () => {
    await nats.cleanup();
    await db.drop();
  });

  function build(overrides: Partial<GatewayConfig> = {}) {
    const config = { CACHE_MAX_METRICS: 100, CACHE_MAX_DASHBOARDS: 100, CACHE_REVALIDATE_MS: 60_000, ...overrides } as GatewayConfig;
    const logger = pino({ level: 'silent' });
    const repository = new ReadModelRepository(db.dataSource);
    const changes = new ChangeBus(nats.nc, nats.names, logger);
    const readModel = new ReadModelService(repository, store, changes, config);
    readModel.onModuleInit();
    const outcomes = new MetricOutcomes();
    const revalidator = new RevalidatorService(readModel, repository, outcomes, config, logger);
    return { readModel, revalidator, outcomes, repository, changes };
  }

  const complete = async (metricId: string, value: unknown) => {
    const e = await store.createExecution(metricId, { triggeredBy: 'system', reason: 'cold_load' });
    await store.markRunning(e.id);
    return store.completeExecution(e.id, { value });
  };

  it('coalesces concurrent misses into one batched load and bounds its size', async () => {
    const { readModel, repository } = build({ CACHE_MAX_METRICS: 3 });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await factories.metric({ name: `M${i}` }));
    await complete(ids[0], 1);
    const loads = jest.spyOn(repository, 'loadMetricDefinitions');
    const results = await Promise.all(Array.from({ length: 50 }, () => readModel.getMetrics(ids)));
    expect(loads).toHaveBeenCalledTimes(1);
    expect(results.every((r) => r.size === 5)).toBe(true);
    expect(results[0].get(ids[0])?.latest.completed?.result).toEqual({ value: 1 });
    expect(readModel.cachedMetricIds()).toHaveLength(3);
  });

  it('revalidation applies hand edits and finds runs whose events were missed, waking their waiters', async () => {
    const { readModel, revalidator, outcomes } = build();
    const metricId = await factories.metric({ policy: { ttlSeconds: 60, maxStalenessSeconds: 600 } });
    const first = await complete(metricId, 1);
    await readModel.getMetrics([metricId]);
    await db.dataSource.query(`UPDATE metric_executions SET completed_at = now() - interval '5 minutes' WHERE id = $1`, [first.id]);
    await db.dataSource.query(`UPDATE metrics SET execution_policy = execution_policy || '{"ttlSeconds": 30}' WHERE id = $1`, [metricId]);
    await revalidator.tick();
    const edited = readModel.peekMetric(metricId)!;
    expect(Date.now() - edited.latest.completed!.completedAt.getTime()).toBeGreaterThan(290_000);
    expect(edited.def.policy.ttlSeconds).toBe(30);

    const seen: MetricOutcome[] = [];
    outcomes.subscribe((o) => seen.push(o));
    const second = await complete(metricId, 2); // no event published
    await revalidator.tick();
    expect(readModel.peekMetric(metricId)!.latest.completed).toMatchObject({ executionId: second.id, result: { value: 2 } });
    expect(seen).toEqual([{ metricId, type: 'completed', executionId: second.id }]);
  });

  it('a change announced on one replica drops the entry on another; a deleted metric leaves the cache on revalidation', async () => {
    const a = build();
    const b = build();
    b.changes.onModuleInit();
    const metricId = await factories.metric({ name: 'Before' });
    await b.readModel.getMetrics([metricId]);
    await db.dataSource.query(`UPDATE metrics SET name = 'After' WHERE id = $1`, [metricId]);
    a.changes.announce('metric', metricId);
    await expectEventually(() => expect(b.readModel.inspectMetric(metricId)).toBeUndefined());
    expect((await b.readModel.getMetrics([metricId])).get(metricId)?.def.name).toBe('After');
    b.changes.onApplicationShutdown();

    await db.dataSource.query(`DELETE FROM metrics WHERE id = $1`, [metricId]);
    await b.revalidator.tick();
    expect(b.readModel.cachedMetricIds()).not.toContain(metricId);
  });
});
