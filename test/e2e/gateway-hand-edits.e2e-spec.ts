import { expectEventually } from '../support/expect-eventually';
import { TestStack } from '../support/stack';

// Hand edits in PostgreSQL reach the gateway's in-memory read path through trigger notifications,
// not the periodic revalidation (set to a minute here so only the notification can explain a change).
describe('gateway honours hand edits at once (e2e)', () => {
  let stack: TestStack;
  let dataSourceId: string;
  beforeAll(async () => {
    stack = await TestStack.start({ services: ['gateway', 'executor'], env: { CACHE_REVALIDATE_MS: '60000' } });
    dataSourceId = (await stack.api('POST', '/api/data-sources', { name: 'Demo', kind: 'demo' })).body.id;
  });
  afterAll(() => stack.close());

  const warmMetric = async (policy: Record<string, unknown>) => {
    const id = (await stack.api('POST', '/api/metrics', { name: 'Edited', dataSourceId, definition: { value: 5 }, executionPolicy: policy })).body.id as string;
    const first = await stack.api('POST', `/api/metrics/${id}/refresh?wait=true`);
    expect(first).toMatchObject({ status: 200, body: { result: { value: 5 } } });
    return { id, executionId: first.body.executionId as string };
  };

  it('a completed_at moved back by SQL is served stale within well under a second', async () => {
    const { id, executionId } = await warmMetric({ ttlSeconds: 300, maxStalenessSeconds: 3600, onExpired: 'loading' });
    const dashboardId = (await stack.api('POST', '/api/dashboards', { name: 'D', metricIds: [id] })).body.id as string;
    expect((await stack.api('GET', `/api/dashboards/${dashboardId}/data`)).body.metrics[0].state).toBe('fresh');
    await stack.db.dataSource.query(`UPDATE metric_executions SET completed_at = now() - interval '10 minutes' WHERE id = $1`, [executionId]);
    const view = await expectEventually(
      async () => {
        const data = (await stack.api('GET', `/api/dashboards/${dashboardId}/data`)).body;
        expect(data.metrics[0]).toMatchObject({ state: 'stale', executionId, refreshing: true });
        return data.metrics[0];
      },
      { timeoutMs: 1000, intervalMs: 20 },
    );
    expect(view.ageSeconds).toBeGreaterThanOrEqual(600);
  });

  it('an execution_policy edited by SQL applies at once', async () => {
    const { id } = await warmMetric({ ttlSeconds: 300, maxStalenessSeconds: 3600 });
    await stack.db.dataSource.query(
      `UPDATE metrics SET execution_policy = jsonb_set(execution_policy, '{onExpired}', '"loading"') || '{"ttlSeconds": 0, "maxStalenessSeconds": 0}' WHERE id = $1`,
      [id],
    );
    await expectEventually(
      async () => expect((await stack.api('GET', `/api/metrics/${id}/result`)).body).toMatchObject({ state: 'loading', result: null, refreshing: true }),
      { timeoutMs: 1000, intervalMs: 20 },
    );
  });

  it('the executor’s own status transitions do not notify (its hot path stays free of NOTIFY)', async () => {
    const { Client } = await import('pg');
    const listener = new Client({ connectionString: stack.db.url });
    await listener.connect();
    const payloads: string[] = [];
    listener.on('notification', (n) => payloads.push(n.payload ?? ''));
    await listener.query('LISTEN assemblr_changed');
    try {
      const { id } = await warmMetric({ ttlSeconds: 0, maxStalenessSeconds: 0 });
      expect((await stack.api('POST', `/api/metrics/${id}/refresh?wait=true`)).status).toBe(200);
      expect({ payloads, id }).toEqual({ payloads: [], id });
      await stack.db.dataSource.query(`UPDATE metric_executions SET error = 'hand note' WHERE metric_id = $1`, [id]);
      await expectEventually(() => expect(payloads).toContain(`metric:${id}`), { timeoutMs: 2000 });
    } finally {
      await listener.end();
    }
  });
});
