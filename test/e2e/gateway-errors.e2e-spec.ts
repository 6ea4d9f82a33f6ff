import { TestStack } from '../support/stack';

const UNKNOWN = '6f1c2b1e-1111-4a2b-8c3d-9e8f7a6b5c4d';

// Every error case of API.md as problem+json, and no input that yields a 5xx.
describe('gateway errors (e2e)', () => {
  let stack: TestStack;
  let metricId: string;
  let dataSourceId: string;
  beforeAll(async () => {
    stack = await TestStack.start({ services: ['gateway'], env: { BODY_LIMIT_BYTES: '4096' } });
    dataSourceId = (await stack.api('POST', '/api/data-sources', { name: 'Demo', kind: 'demo' })).body.id;
    metricId = (await stack.api('POST', '/api/metrics', { name: 'M', dataSourceId, definition: { value: 1 } })).body.id;
  });
  afterAll(() => stack.close());

  const expectProblem = (res: { status: number; headers: Headers; body: { status?: number; type?: string; title?: string; detail?: string } }, status: number) => {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status, type: expect.any(String), title: expect.any(String), detail: expect.any(String) });
  };

  it('401 without a token, with a wrong token, and with a malformed header', async () => {
    expectProblem(await stack.api('GET', '/api/metrics', undefined, { token: null }), 401);
    expectProblem(await stack.api('GET', '/api/metrics', undefined, { token: 'x'.repeat(40) }), 401);
    expectProblem(await stack.api('GET', `/api/dashboards/${UNKNOWN}/data`, undefined, { token: null, headers: { authorization: 'Basic abc' } }), 401);
    expectProblem(await stack.api('POST', '/api/metrics', { name: 'x' }, { token: null }), 401);
  });

  it('401 for unknown /api routes and wrong methods without a valid token (every /api/* route needs it)', async () => {
    expectProblem(await stack.api('GET', '/api/no-such-thing', undefined, { token: null }), 401);
    expectProblem(await stack.api('GET', '/api/no-such-thing', undefined, { token: 'x'.repeat(40) }), 401);
    expectProblem(await stack.api('GET', '/api', undefined, { token: null }), 401);
    expectProblem(await stack.api('GET', '/api/chat', undefined, { token: null }), 401);
    expectProblem(await stack.api('GET', '/no-such-thing', undefined, { token: null }), 404);
  });

  it('404 for unknown ids of every resource and unknown routes (with a token), never 500', async () => {
    for (const path of [`/api/data-sources/${UNKNOWN}`, `/api/metrics/${UNKNOWN}`, `/api/metrics/${UNKNOWN}/result`, `/api/metrics/${UNKNOWN}/executions`, `/api/dashboards/${UNKNOWN}`, `/api/dashboards/${UNKNOWN}/data`, `/api/dashboards/${UNKNOWN}/events`]) {
      expectProblem(await stack.api('GET', path), 404);
    }
    expectProblem(await stack.api('POST', `/api/metrics/${UNKNOWN}/refresh`), 404);
    expectProblem(await stack.api('PATCH', `/api/metrics/${UNKNOWN}`, { name: 'x' }), 404);
    expectProblem(await stack.api('DELETE', `/api/dashboards/${UNKNOWN}`), 404);
    expectProblem(await stack.api('GET', '/api/no-such-thing'), 404);
  });

  it('400 malformed_id naming the path parameter', async () => {
    for (const path of ['/api/metrics/not-a-uuid', '/api/metrics/123/result', '/api/dashboards/x/data', `/api/data-sources/${UNKNOWN}x`]) {
      const res = await stack.api('GET', path);
      expectProblem(res, 400);
      expect(res.body.errors).toEqual([{ path: 'id', message: 'must be a UUID' }]);
    }
  });

  it('400 for malformed JSON, a non-object body, and wrong field types, naming the field', async () => {
    const malformed = await stack.api('POST', '/api/metrics', undefined, { raw: '{"name": ' });
    expectProblem(malformed, 400);
    expect(malformed.body.errors[0].path).toBe('(body)');
    expectProblem(await stack.api('POST', '/api/metrics', [1, 2]), 400);
    expectProblem(await stack.api('POST', '/api/metrics', null), 400);
    const wrong = await stack.api('POST', '/api/metrics', { name: 42, dataSourceId: 'nope', definition: {} });
    expectProblem(wrong, 400);
    expect(wrong.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['dataSourceId', 'name']);
    const unknownField = await stack.api('PATCH', `/api/metrics/${metricId}`, { nmae: 'typo' });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.detail).toContain('nmae');
    const policy = await stack.api('PATCH', `/api/metrics/${metricId}`, { executionPolicy: { ttlSeconds: 100, maxStalenessSeconds: 10 } });
    expect(policy.body.errors).toEqual([expect.objectContaining({ path: 'executionPolicy.maxStalenessSeconds' })]);
    // nothing changed
    expect((await stack.api('GET', `/api/metrics/${metricId}`)).body.executionPolicy.ttlSeconds).toBe(300);
  });

  it('400 for malformed query parameters, naming them', async () => {
    const limit = await stack.api('GET', `/api/metrics/${metricId}/executions?limit=lots`);
    expectProblem(limit, 400);
    expect(limit.body.errors[0].path).toBe('limit');
    expect((await stack.api('GET', `/api/metrics/${metricId}/executions?limit=0`)).status).toBe(400);
    const wait = await stack.api('POST', `/api/metrics/${metricId}/refresh?wait=maybe`);
    expectProblem(wait, 400);
    expect(wait.body.errors[0].path).toBe('wait');
  });

  it('413 over the body limit and 415 for a body that is not JSON', async () => {
    expectProblem(await stack.api('POST', '/api/metrics', { name: 'x'.repeat(10_000), dataSourceId, definition: {} }), 413);
    expectProblem(await stack.api('POST', '/api/metrics', undefined, { raw: 'name=x', headers: { 'content-type': 'text/plain' } }), 415);
  });

  it('409 naming dependents', async () => {
    const res = await stack.api('DELETE', `/api/data-sources/${dataSourceId}`);
    expectProblem(res, 409);
    expect(res.body.dependents).toEqual([{ kind: 'metric', id: metricId, name: 'M' }]);
  });

  it('the lean dashboard-data route answers auth and id errors exactly like the Nest routes', async () => {
    const dashboardId = (await stack.api('POST', '/api/dashboards', { name: 'Lean', metricIds: [] })).body.id;
    const cases: [string, { token?: string | null; headers?: Record<string, string> }][] = [
      ['no token', { token: null }],
      ['wrong token', { token: 'y'.repeat(48) }],
      ['basic auth', { token: null, headers: { authorization: 'Basic dXNlcjpwdw==' } }],
      ['token in lower-case scheme with spaces', { token: null, headers: { authorization: `bearer   ${stack.token}  ` } }],
    ];
    for (const [, options] of cases) {
      const nest = await stack.api('GET', `/api/dashboards/${dashboardId}`, undefined, options);
      const lean = await stack.api('GET', `/api/dashboards/${dashboardId}/data`, undefined, options);
      expect(lean.status).toBe(nest.status);
      expect(lean.headers.get('content-type')).toBe(nest.headers.get('content-type'));
      if (nest.status !== 200) expect(lean.body).toEqual(nest.body);
    }
    for (const id of ['nope', `${dashboardId}x`, 'ZZZZZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZZZZZZZZZ']) {
      const nest = await stack.api('GET', `/api/dashboards/${id}`);
      const lean = await stack.api('GET', `/api/dashboards/${id}/data`);
      expect([lean.status, lean.body]).toEqual([nest.status, nest.body]);
    }
    const nest404 = await stack.api('GET', `/api/dashboards/${UNKNOWN}`);
    const lean404 = await stack.api('GET', `/api/dashboards/${UNKNOWN}/data`);
    expect([lean404.status, lean404.body]).toEqual([nest404.status, nest404.body]);
    // an upper-case id names the same dashboard
    expect((await stack.api('GET', `/api/dashboards/${dashboardId.toUpperCase()}/data`)).body.dashboardId).toBe(dashboardId);
  });

  it('fuzz: no input yields a 5xx', async () => {
    const values: unknown[] = [null, true, -1, 1e308, '', 'x'.repeat(3000), [null], { a: { b: [1] } }, 'nul \u0000 💥'];
    const bodies: unknown[] = [];
    for (const v of values) {
      for (const field of ['name', 'kind', 'config', 'dataSourceId', 'definition', 'executionPolicy', 'metricIds', 'tags', 'description', 'unknown']) bodies.push({ [field]: v });
      bodies.push({ name: 'n', dataSourceId, definition: v, executionPolicy: v });
      bodies.push({ name: 'n', dataSourceId, definition: {}, executionPolicy: { mode: 'scheduled', schedule: v, ttlSeconds: v } });
      bodies.push({ name: 'n', kind: 'postgres', config: { connectionString: v } });
      bodies.push({ name: 'n', kind: 'http', config: { baseUrl: 'http://x', headers: v } });
    }
    const statuses = new Set<number>();
    for (const body of bodies) {
      for (const [method, path] of [
        ['POST', '/api/data-sources'],
        ['POST', '/api/metrics'],
        ['POST', '/api/dashboards'],
        ['PATCH', `/api/metrics/${metricId}`],
        ['PATCH', `/api/data-sources/${dataSourceId}`],
      ] as const) {
        const res = await stack.api(method, path, body);
        statuses.add(res.status);
        if (res.status >= 500) throw new Error(`${method} ${path} ${JSON.stringify(body).slice(0, 200)} → ${res.status} ${JSON.stringify(res.body)}`);
      }
    }
    for (const path of ['/api/metrics/%', '/api/metrics/%E0%A4%A', `/api/metrics/${metricId}/executions?limit[]=1`, `/api/metrics/${metricId}/executions?limit=1&limit=2`, '/api/dashboards/../../etc/passwd']) {
      const res = await stack.api('GET', path);
      expect(res.status).toBeLessThan(500);
    }
    expect([...statuses].every((s) => s < 500)).toBe(true);
  });
});
