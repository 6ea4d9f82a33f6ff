import { ExecutionStore } from '../../libs/shared/src/executions/execution-store';
import { readReply, ServiceError } from '../../libs/shared/src/nats/service-errors';
import { expectEventually } from '../support/expect-eventually';
import { TestStack } from '../support/stack';

const hhmm = (iso: string) => `${iso.slice(11, 16)} UTC`;

describe('chat through the gateway, with the real executor (e2e)', () => {
  let stack: TestStack;
  let store: ExecutionStore;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    stack = await TestStack.start({
      services: ['gateway', 'executor', 'chat'],
      env: { CHAT_RUN_WAIT_MS: '8000', CHAT_CATALOG_REVALIDATE_MS: '100', CHAT_FRESHNESS_TIMEOUT_MS: '1000' },
    });
    store = new ExecutionStore(stack.db.dataSource);
    const source = await stack.factories.dataSource({ name: 'Demo shop' });
    const metric = (name: string, definition: Record<string, unknown>, description = '', tags: string[] = []) =>
      stack.factories.metric({ name, description, tags, definition, dataSourceId: source });
    ids.revenue = await metric('Revenue today', { value: 1234.5 }, 'Sum of paid orders since midnight', ['finance']);
    ids.refunds = await metric('Refunds today', { value: 17 }, 'Amount refunded to customers since midnight', ['finance']);
    ids.daily = await metric('Daily signups', { value: 40 }, 'New accounts created today', ['growth']);
    ids.weekly = await metric('Weekly signups', { value: 300 }, 'New accounts created in the last 7 days', ['growth']);
    ids.orders = await metric('Orders today', { value: 88 }, 'Orders placed since midnight');
    ids.churn = await metric('Customer churn rate', { value: 0.031 }, 'Share of paying customers who cancelled this month');
    ids.uptime = await metric('Uptime this month', { value: 99.95 }, 'Share of minutes the site was up this month');
  });
  afterAll(() => stack.close());

  const ask = (message: string, dashboardId?: string) => stack.api('POST', '/api/chat', dashboardId ? { message, dashboardId } : { message });
  /** Moves a metric's latest completed result into the past, as an operator's hand edit would. */
  const ageLatest = (metricId: string, seconds: number) =>
    stack.db.dataSource.query(
      `UPDATE metric_executions SET completed_at = now() - make_interval(secs => $2), started_at = now() - make_interval(secs => $2 + 1)
        WHERE id = (SELECT id FROM metric_executions WHERE metric_id = $1 AND status = 'completed' ORDER BY completed_at DESC LIMIT 1)`,
      [metricId, seconds],
    );

  it('runs a metric that has no result yet and says the answer is live', async () => {
    const res = await ask("What's our revenue today?");
    expect(res.status).toBe(200);
    expect(res.body.metrics).toEqual([{ metricId: ids.revenue, name: 'Revenue today', value: 1234.5, computedAt: expect.any(String), state: 'fresh' }]);
    expect(res.body.reply).toBe(`Revenue today is 1,234.5. Computed live just now (${hhmm(res.body.metrics[0].computedAt)}).`);
    expect(res.body.dataAsOf).toBe(res.body.metrics[0].computedAt);
    const runs = await store.listExecutions(ids.revenue);
    expect(runs).toEqual([expect.objectContaining({ status: 'completed', reason: 'cold_load' })]);
  });

  it('answers from the cached result while it is fresh, saying when it is from, without running again', async () => {
    await ageLatest(ids.revenue, 180);
    const [latest] = await store.listExecutions(ids.revenue);
    const computedAt = (await store.getExecution(latest.id))?.completedAt?.toISOString() as string;
    const res = await ask('how much did we sell today?');
    expect(res.status).toBe(200);
    expect(res.body.reply).toBe(`Revenue today is 1,234.5. Data from ${hhmm(computedAt)} (3 minutes ago).`);
    expect(res.body.metrics[0]).toMatchObject({ metricId: ids.revenue, state: 'fresh', computedAt, value: 1234.5 });
    expect(res.body.dataAsOf).toBe(computedAt);
    expect(await store.listExecutions(ids.revenue)).toHaveLength(1);
  });

  it('answers a stale result at once, says a refresh is under way, and the refresh happens', async () => {
    await ask('refunds'); // first result: live
    await ageLatest(ids.refunds, 20 * 60); // ttl 300 s < 20 min ≤ max staleness 3600 s
    const res = await ask('How much money was refunded today?');
    expect(res.status).toBe(200);
    expect(res.body.metrics[0]).toMatchObject({ metricId: ids.refunds, state: 'stale', value: 17 });
    expect(res.body.reply).toMatch(/^Refunds today is 17\. Data from \d\d:\d\d UTC \(20 minutes ago\); it is getting old and a refresh is under way\.$/);
    await expectEventually(async () => {
      const runs = await store.listExecutions(ids.refunds);
      expect(runs.find((r) => r.reason === 'stale_refresh')).toMatchObject({ status: 'completed', triggeredBy: 'system' });
    });
  });

  it('says a failed run failed, with the last good value and its time', async () => {
    await ask('orders placed today'); // a good result first
    await ageLatest(ids.orders, 2 * 86_400); // expired: the next answer must run
    const [good] = await store.listExecutions(ids.orders);
    const goodAt = (await store.getExecution(good.id))?.completedAt?.toISOString() as string;
    await stack.db.dataSource.query(`UPDATE metrics SET definition = '{"fail": true}' WHERE id = $1`, [ids.orders]);
    const res = await ask('number of orders today');
    expect(res.status).toBe(200);
    expect(res.body.metrics).toEqual([{ metricId: ids.orders, name: 'Orders today', value: 88, computedAt: goodAt, state: 'error' }]);
    expect(res.body.reply).toMatch(/^Orders today could not be refreshed: the run failed at \d\d:\d\d UTC \(.+\)\. The last good value was 88, from \d+ \w+ at \d\d:\d\d UTC \(2 days ago\)\.$/);
    expect(res.body.dataAsOf).toBe(goodAt);
  });

  it('answers several metrics at once, and dataAsOf is the oldest', async () => {
    const res = await ask('revenue and refunds today');
    expect(res.status).toBe(200);
    expect(res.body.metrics.map((m: { metricId: string }) => m.metricId)).toEqual([ids.revenue, ids.refunds]);
    const oldest = res.body.metrics.map((m: { computedAt: string }) => m.computedAt).sort()[0];
    expect(res.body.dataAsOf).toBe(oldest);
    expect(res.body.reply.split('\n')).toHaveLength(2);
  });

  it('says there is no such metric yet and proposes one', async () => {
    const res = await ask('How many employees do we have?');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      reply: 'There is no metric for "employees" yet. I could propose one: "Employees" on a demo data source, with the definition {"value":0}.',
      metrics: [],
      dataAsOf: null,
    });
  });

  it("prefers the dashboard's metric; an unknown dashboard is 404", async () => {
    const dashboardId = await stack.factories.dashboard([ids.weekly], 'Growth');
    const res = await ask('signups', dashboardId);
    expect(res.status).toBe(200);
    expect(res.body.metrics[0]).toMatchObject({ metricId: ids.weekly, name: 'Weekly signups', value: 300 });
    const missing = await ask('signups', '6f1c2a3e-8b7d-4c5e-9a1b-2c3d4e5f6a7b');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/application\/problem\+json/);
  });

  it('finds a metric created through the API at once', async () => {
    const sourceId = await stack.factories.dataSource();
    const created = await stack.api('POST', '/api/metrics', { name: 'Net promoter score', description: 'NPS this quarter', dataSourceId: sourceId, definition: { value: 61 } });
    expect(created.status).toBe(201);
    const res = await ask('what is our NPS?');
    expect(res.status).toBe(200);
    expect(res.body.metrics[0]).toMatchObject({ metricId: created.body.id, value: 61, state: 'fresh' });
  });

  it('builds a dashboard spec that reuses metrics and proposes only the missing ones', async () => {
    const res = await stack.api('POST', '/api/chat/spec', { prompt: 'a dashboard with revenue, refunds, churn and weekly active users' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      name: 'Revenue, refunds, churn and weekly active users',
      metrics: [
        { metricId: ids.revenue },
        { metricId: ids.refunds },
        { metricId: ids.churn },
        { proposed: expect.objectContaining({ name: 'Weekly active users', definition: { value: 0 }, dataSourceKind: 'demo' }) },
      ],
    });
  });

  it.each([
    ['an empty message', { message: '' }, 'message', /must not be empty/],
    ['a blank message', { message: '   ' }, 'message', /must not be empty/],
    ['an oversized message', { message: 'x'.repeat(4001) }, 'message', /at most 4000/],
    ['a message of the wrong type', { message: 42 }, 'message', /must be a string/],
    ['no message', {}, 'message', /must be a string/],
    ['a malformed dashboardId', { message: 'revenue', dashboardId: 'abc' }, 'dashboardId', /UUID/],
    ['a body that is not an object', ['revenue'], '(body)', /JSON object/],
  ])('rejects %s with 400 naming the field', async (_what, body, path, message) => {
    const res = await stack.api('POST', '/api/chat', body);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path, message: expect.stringMatching(message) })]));
  });

  it('rejects bad spec prompts with 400 naming the field', async () => {
    for (const body of [{ prompt: '' }, { prompt: 7 }, { prompt: 'y'.repeat(4001) }, {}]) {
      const res = await stack.api('POST', '/api/chat/spec', body);
      expect(res.status).toBe(400);
      expect(res.body.errors[0].path).toBe('prompt');
    }
  });

  it('needs the bearer token', async () => {
    expect((await stack.api('POST', '/api/chat', { message: 'revenue' }, { token: null })).status).toBe(401);
    expect((await stack.api('POST', '/api/chat/spec', { prompt: 'revenue' }, { token: 'wrong-token-wrong-token' })).status).toBe(401);
  });

  it('answers a malformed NATS request with invalid_request and keeps serving', async () => {
    for (const payload of ['not json', '{"message": 5}', '[]']) {
      const reply = await stack.nc.request(stack.names.chatAsk, payload, { timeout: 5000 });
      let error: unknown;
      try {
        readReply(reply);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(ServiceError);
      expect((error as ServiceError).code).toBe('invalid_request');
    }
    const spec = await stack.nc.request(stack.names.chatSpec, '{"prompt": "revenue"}', { timeout: 5000 });
    expect(readReply(spec)).toEqual({ name: 'Revenue', metrics: [{ metricId: ids.revenue }] });
  });

  it('answers 503 problem+json when no chat replica is running', async () => {
    const chat = stack.apps.find((a) => a.name === 'chat');
    await chat?.app.close();
    stack.apps.splice(stack.apps.indexOf(chat as (typeof stack.apps)[number]), 1);
    const res = await ask('revenue');
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
  });
});
