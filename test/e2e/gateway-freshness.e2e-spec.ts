import type { ExecutionPolicy } from '../../libs/shared/src/policy/execution-policy';
import { expectEventually } from '../support/expect-eventually';
import { TestStack } from '../support/stack';

// The seed's verification plan and the freshness engine, gateway + executor on real NATS and Postgres.
describe('gateway freshness engine (e2e)', () => {
  let stack: TestStack;
  let dataSourceId: string;
  beforeAll(async () => {
    stack = await TestStack.start({ services: ['gateway', 'executor'], env: { CACHE_REVALIDATE_MS: '200', BLOCKING_READ_TIMEOUT_MS: '8000', EXECUTOR_SOURCE_CONCURRENCY: '16' } });
    dataSourceId = (await stack.api('POST', '/api/data-sources', { name: 'Demo', kind: 'demo' })).body.id;
  });
  afterAll(() => stack.close());

  const newMetric = async (definition: Record<string, unknown>, executionPolicy?: Partial<ExecutionPolicy>, name = 'Metric') => {
    const res = await stack.api('POST', '/api/metrics', { name, dataSourceId, definition, executionPolicy });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const result = (id: string) => stack.api('GET', `/api/metrics/${id}/result`);
  const executions = async (id: string) => (await stack.api('GET', `/api/metrics/${id}/executions?limit=50`)).body as { id: string; status: string; triggeredBy: string; reason: string; error: string | null }[];

  it('a cache hit returns the same execution id', async () => {
    const id = await newMetric({ value: 7 });
    const first = await result(id);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ metricId: id, name: 'Metric', state: 'fresh', result: { value: 7 }, refreshing: false, lastError: null });
    for (let i = 0; i < 5; i++) {
      const again = await result(id);
      expect(again.body).toMatchObject({ state: 'fresh', executionId: first.body.executionId, computedAt: first.body.computedAt });
    }
    expect(await executions(id)).toEqual([expect.objectContaining({ id: first.body.executionId, status: 'completed', triggeredBy: 'system', reason: 'cold_load' })]);
  });

  it('a result expired by an SQL UPDATE of completed_at is served stale and replaced by a background run', async () => {
    const id = await newMetric({ value: 1 }, { ttlSeconds: 60, maxStalenessSeconds: 3600 });
    const first = (await result(id)).body;
    await stack.db.dataSource.query(`UPDATE metric_executions SET completed_at = now() - interval '10 minutes' WHERE id = $1`, [first.executionId]);
    const stale = await expectEventually(async () => {
      const view = (await result(id)).body;
      expect(view.state).toBe('stale');
      return view;
    });
    expect(stale).toMatchObject({ executionId: first.executionId, result: { value: 1 }, refreshing: true });
    expect(stale.ageSeconds).toBeGreaterThanOrEqual(600);
    const replaced = await expectEventually(async () => {
      const view = (await result(id)).body;
      expect(view).toMatchObject({ state: 'fresh' });
      expect(view.executionId).not.toBe(first.executionId);
      return view;
    });
    expect((await executions(id)).find((e) => e.id === replaced.executionId)).toMatchObject({ status: 'completed', triggeredBy: 'system', reason: 'stale_refresh' });
  });

  it('past max staleness a read blocks and returns a new result', async () => {
    const id = await newMetric({ value: 2, delayMs: 300 }, { ttlSeconds: 60, maxStalenessSeconds: 120 });
    const first = (await result(id)).body;
    await stack.db.dataSource.query(`UPDATE metric_executions SET completed_at = now() - interval '1 hour' WHERE id = $1`, [first.executionId]);
    const seen: string[] = [];
    const blocked = await expectEventually(async () => {
      const view = (await result(id)).body;
      seen.push(view.state);
      expect(view.executionId).not.toBe(first.executionId);
      return view;
    });
    // never served the expired result: fresh until the edit was seen, then the blocking read's new result
    expect(seen.every((s) => s === 'fresh')).toBe(true);
    expect(blocked).toMatchObject({ state: 'fresh', result: { value: 2 }, refreshing: false });
    expect((await executions(id)).find((e) => e.id === blocked.executionId)).toMatchObject({ status: 'completed', reason: 'cold_load' });
  });

  it('a forced integration error leaves a failed row with its message while the previous result is served with lastError', async () => {
    const id = await newMetric({ value: 3 });
    const first = (await result(id)).body;
    expect((await stack.api('PATCH', `/api/metrics/${id}`, { definition: { value: 3, fail: true } })).status).toBe(200);
    const refreshed = await stack.api('POST', `/api/metrics/${id}/refresh?wait=true`);
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).toMatchObject({ state: 'fresh', executionId: first.executionId, result: { value: 3 } });
    expect(refreshed.body.lastError).toMatchObject({ message: expect.stringContaining('fail'), executionId: expect.any(String), at: expect.any(String) });
    const failed = (await executions(id)).find((e) => e.id === refreshed.body.lastError.executionId);
    expect(failed).toMatchObject({ status: 'failed', triggeredBy: 'user', reason: 'manual', error: expect.stringContaining('fail') });
    expect((await result(id)).body).toMatchObject({ state: 'fresh', executionId: first.executionId, lastError: refreshed.body.lastError });
    expect((await stack.api('GET', `/api/metrics/${id}`)).body.consecutiveFailures).toBe(1);
  });

  it('a blocking read whose run failed answers state error with a null result', async () => {
    const id = await newMetric({ fail: true });
    const view = (await result(id)).body;
    expect(view).toMatchObject({ state: 'error', result: null, executionId: null, lastError: { message: expect.stringContaining('fail') } });
    expect((await executions(id))[0]).toMatchObject({ status: 'failed', reason: 'cold_load' });
  });

  it('200 concurrent cold reads get one execution and one result', async () => {
    const id = await newMetric({ value: 200, delayMs: 400 });
    const views = await Promise.all(Array.from({ length: 200 }, () => result(id)));
    expect(views.every((v) => v.status === 200)).toBe(true);
    expect(new Set(views.map((v) => v.body.executionId)).size).toBe(1);
    expect(views[0].body).toMatchObject({ state: 'fresh', result: { value: 200 } });
    expect(await executions(id)).toHaveLength(1);
  });

  it('the loading policy answers loading at once and serves the result when it lands', async () => {
    const id = await newMetric({ value: 5, delayMs: 300 }, { onExpired: 'loading' });
    const first = (await result(id)).body;
    expect(first).toMatchObject({ state: 'loading', result: null, executionId: null, refreshing: true });
    const done = await expectEventually(async () => {
      const view = (await result(id)).body;
      expect(view.state).toBe('fresh');
      return view;
    });
    expect(done.result).toEqual({ value: 5 });
    expect(await executions(id)).toHaveLength(1);
  });

  it('a refresh answers 202 and runs a user-triggered manual execution', async () => {
    const id = await newMetric({ value: 9 });
    const first = (await result(id)).body;
    const accepted = await stack.api('POST', `/api/metrics/${id}/refresh`);
    expect(accepted.status).toBe(202);
    expect(accepted.body).toEqual({ metricId: id, requested: true });
    const next = await expectEventually(async () => {
      const view = (await result(id)).body;
      expect(view.executionId).not.toBe(first.executionId);
      return view;
    });
    expect((await executions(id)).find((e) => e.id === next.executionId)).toMatchObject({ triggeredBy: 'user', reason: 'manual' });
  });

  it('serves a dashboard in order, running its cold metrics in parallel', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push(await newMetric({ value: i, delayMs: 300 }, undefined, `M${i}`));
    const dashboardId = (await stack.api('POST', '/api/dashboards', { name: 'Ten', metricIds: ids })).body.id;
    const started = Date.now();
    const data = await stack.api('GET', `/api/dashboards/${dashboardId}/data`);
    const elapsed = Date.now() - started;
    expect(data.status).toBe(200);
    expect(data.headers.get('content-type')).toContain('application/json');
    expect(data.body.dashboardId).toBe(dashboardId);
    expect(data.body.metrics.map((m: { metricId: string }) => m.metricId)).toEqual(ids);
    expect(data.body.metrics.map((m: { result: { value: number } }) => m.result.value)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(elapsed).toBeLessThan(2500); // 10 × 300 ms in sequence would be 3 s
    const warm = await stack.api('GET', `/api/dashboards/${dashboardId}/data`);
    expect(warm.body.metrics.map((m: { executionId: string }) => m.executionId)).toEqual(data.body.metrics.map((m: { executionId: string }) => m.executionId));
  });

  it('honours a hand edit of execution_policy within the revalidation bound', async () => {
    const id = await newMetric({ value: 4 }, { ttlSeconds: 3600, maxStalenessSeconds: 7200 });
    const first = (await result(id)).body;
    await stack.db.dataSource.query(`UPDATE metric_executions SET completed_at = now() - interval '2 minutes' WHERE id = $1`, [first.executionId]);
    await stack.db.dataSource.query(`UPDATE metrics SET execution_policy = execution_policy || '{"ttlSeconds": 10, "onExpired": "loading"}' WHERE id = $1`, [id]);
    await expectEventually(async () => expect((await result(id)).body.state).toBe('stale'));
  });
});
