import { TestStack } from '../support/stack';

// CRUD of data sources, metrics and dashboards through the real gateway (no runs needed here).
describe('gateway resources (e2e)', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await TestStack.start({ services: ['gateway'] });
  });
  afterAll(() => stack.close());

  const demoSource = async (name = 'Demo') => (await stack.api('POST', '/api/data-sources', { name, kind: 'demo', config: {} })).body.id as string;

  it('creates, lists, reads, updates and deletes a data source', async () => {
    const created = await stack.api('POST', '/api/data-sources', { name: 'Warehouse', kind: 'demo' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Warehouse', kind: 'demo', config: {} });
    const id = created.body.id;
    expect((await stack.api('GET', '/api/data-sources')).body.map((d: { id: string }) => d.id)).toContain(id);
    expect((await stack.api('GET', `/api/data-sources/${id}`)).body.name).toBe('Warehouse');
    const renamed = await stack.api('PATCH', `/api/data-sources/${id}`, { name: 'Lake' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe('Lake');
    expect((await stack.api('DELETE', `/api/data-sources/${id}`)).status).toBe(204);
    expect((await stack.api('GET', `/api/data-sources/${id}`)).status).toBe(404);
  });

  it('never returns secrets: passwords and header values are redacted, and a redacted value sent back keeps the secret', async () => {
    const pg = await stack.api('POST', '/api/data-sources', {
      name: 'Orders DB',
      kind: 'postgres',
      config: { connectionString: 'postgres://reader:s3cr3t-pw@db.internal:5432/orders?sslpassword=k3y-pw' },
    });
    expect(pg.status).toBe(201);
    expect(pg.body.config.connectionString).toBe('postgres://reader:***@db.internal:5432/orders?sslpassword=***');
    const http = await stack.api('POST', '/api/data-sources', {
      name: 'Billing API',
      kind: 'http',
      config: { baseUrl: 'https://billing.example.com', headers: { Authorization: 'Bearer t0ken-value' } },
    });
    expect(http.body.config).toEqual({ baseUrl: 'https://billing.example.com/', headers: { Authorization: '***' } });
    // sending back what was read keeps the stored secrets
    const patched = await stack.api('PATCH', `/api/data-sources/${pg.body.id}`, { config: pg.body.config });
    expect(patched.status).toBe(200);
    const [stored] = await stack.db.dataSource.query(`SELECT config FROM data_sources WHERE id = $1`, [pg.body.id]);
    expect(stored.config.connectionString).toContain('s3cr3t-pw');
    const everything = JSON.stringify([
      (await stack.api('GET', '/api/data-sources')).body,
      (await stack.api('GET', `/api/data-sources/${pg.body.id}`)).body,
      (await stack.api('GET', `/api/data-sources/${http.body.id}`)).body,
      patched.body,
    ]);
    for (const secret of ['s3cr3t-pw', 'k3y-pw', 't0ken-value']) expect(everything).not.toContain(secret);
  });

  it('validates config per kind and metric definitions per data source kind, naming the field', async () => {
    const noConn = await stack.api('POST', '/api/data-sources', { name: 'x', kind: 'postgres', config: {} });
    expect(noConn.status).toBe(400);
    expect(noConn.body.errors).toEqual([expect.objectContaining({ path: 'config.connectionString' })]);
    const badUrl = await stack.api('POST', '/api/data-sources', { name: 'x', kind: 'http', config: { baseUrl: 'ftp://x' } });
    expect(badUrl.body.errors[0].path).toBe('config.baseUrl');
    const pg = await stack.api('POST', '/api/data-sources', { name: 'pg', kind: 'postgres', config: { connectionString: 'postgres://u@h/db' } });
    const noSql = await stack.api('POST', '/api/metrics', { name: 'm', dataSourceId: pg.body.id, definition: { path: '/x' } });
    expect(noSql.status).toBe(400);
    expect(noSql.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['definition', 'definition.sql']);
    const demo = await demoSource();
    const badDemo = await stack.api('POST', '/api/metrics', { name: 'm', dataSourceId: demo, definition: { delayMs: 'slow' } });
    expect(badDemo.body.errors).toEqual([expect.objectContaining({ path: 'definition.delayMs' })]);
  });

  it('creates a metric with the default policy and computes nextRunAt for scheduled ones', async () => {
    const dataSourceId = await demoSource();
    const onDemand = await stack.api('POST', '/api/metrics', { name: 'Revenue', description: 'Paid orders', dataSourceId, definition: { value: 1 } });
    expect(onDemand.status).toBe(201);
    expect(onDemand.body).toMatchObject({
      name: 'Revenue',
      description: 'Paid orders',
      dataSourceId,
      definition: { value: 1 },
      executionPolicy: { mode: 'on_demand', schedule: null, ttlSeconds: 300, maxStalenessSeconds: 3600, onExpired: 'block' },
      nextRunAt: null,
      consecutiveFailures: 0,
    });
    const scheduled = await stack.api('POST', '/api/metrics', {
      name: 'Signups',
      dataSourceId,
      definition: { value: 2 },
      executionPolicy: { mode: 'scheduled', schedule: { cron: '*/5 * * * *', timezone: 'Europe/Berlin' } },
    });
    expect(scheduled.status).toBe(201);
    expect(typeof scheduled.body.nextRunAt).toBe('string');
    // PATCH merges onto the stored policy; switching to on_demand clears the next run
    const ttl = await stack.api('PATCH', `/api/metrics/${scheduled.body.id}`, { executionPolicy: { ttlSeconds: 60 } });
    expect(ttl.body.executionPolicy).toMatchObject({ mode: 'scheduled', ttlSeconds: 60, schedule: { cron: '*/5 * * * *' } });
    const off = await stack.api('PATCH', `/api/metrics/${scheduled.body.id}`, { executionPolicy: { mode: 'on_demand' } });
    expect(off.body).toMatchObject({ nextRunAt: null, executionPolicy: { mode: 'on_demand', schedule: null, ttlSeconds: 60 } });
    const on = await stack.api('PATCH', `/api/metrics/${scheduled.body.id}`, { executionPolicy: { mode: 'scheduled', schedule: { cron: '0 9 * * 1-5', timezone: 'America/New_York' } } });
    expect(on.status).toBe(200);
    expect(on.body.nextRunAt).not.toBeNull();
  });

  it('rejects invalid cron expressions and time zones naming the field', async () => {
    const dataSourceId = await demoSource();
    const res = await stack.api('POST', '/api/metrics', {
      name: 'Bad',
      dataSourceId,
      definition: {},
      executionPolicy: { mode: 'scheduled', schedule: { cron: 'every minute', timezone: 'Mars/Olympus' } },
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['executionPolicy.schedule.cron', 'executionPolicy.schedule.timezone']);
    expect((await stack.db.dataSource.query(`SELECT count(*)::int AS n FROM metrics WHERE name = 'Bad'`))[0].n).toBe(0);
  });

  it('keeps dashboards in order and answers 409 naming dependents on delete', async () => {
    const dataSourceId = await demoSource('Shared source');
    const a = (await stack.api('POST', '/api/metrics', { name: 'A', dataSourceId, definition: {} })).body.id;
    const b = (await stack.api('POST', '/api/metrics', { name: 'B', dataSourceId, definition: {} })).body.id;
    const dash = await stack.api('POST', '/api/dashboards', { name: 'Board', metricIds: [b, a] });
    expect(dash.status).toBe(201);
    expect(dash.body.metricIds).toEqual([b, a]);
    const reordered = await stack.api('PATCH', `/api/dashboards/${dash.body.id}`, { metricIds: [a, b] });
    expect(reordered.body.metricIds).toEqual([a, b]);

    const metricInUse = await stack.api('DELETE', `/api/metrics/${a}`);
    expect(metricInUse.status).toBe(409);
    expect(metricInUse.body.detail).toContain('Board');
    expect(metricInUse.body.dependents).toEqual([{ kind: 'dashboard', id: dash.body.id, name: 'Board' }]);
    const sourceInUse = await stack.api('DELETE', `/api/data-sources/${dataSourceId}`);
    expect(sourceInUse.status).toBe(409);
    expect(sourceInUse.body.dependents.map((d: { id: string }) => d.id).sort()).toEqual([a, b].sort());

    expect((await stack.api('DELETE', `/api/dashboards/${dash.body.id}`)).status).toBe(204);
    expect((await stack.api('DELETE', `/api/metrics/${a}`)).status).toBe(204);
    expect((await stack.api('DELETE', `/api/metrics/${b}`)).status).toBe(204);
    expect((await stack.api('DELETE', `/api/data-sources/${dataSourceId}`)).status).toBe(204);
  });

  it('rejects unknown metrics and duplicates in a dashboard, naming the position', async () => {
    const dataSourceId = await demoSource();
    const a = (await stack.api('POST', '/api/metrics', { name: 'A', dataSourceId, definition: {} })).body.id;
    const missing = '00000000-0000-4000-8000-000000000000';
    const res = await stack.api('POST', '/api/dashboards', { name: 'Board', metricIds: [a, missing] });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'metricIds.1', message: `metric ${missing} does not exist` }]);
    const dup = await stack.api('POST', '/api/dashboards', { name: 'Board', metricIds: [a, a] });
    expect(dup.body.errors[0].path).toBe('metricIds.1');
  });

  it('serves the OpenAPI document and the Swagger UI without credentials', async () => {
    const doc = await stack.api('GET', '/docs-json', undefined, { token: null });
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/api/metrics', '/api/dashboards/{id}/data', '/api/data-sources/{id}']));
    const ui = await fetch(`${stack.baseUrl}/docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('SwaggerUIBundle');
    expect((await fetch(`${stack.baseUrl}/docs/swagger-ui-bundle.js`)).status).toBe(200);
  });
});
