import { jetstreamManager } from '@nats-io/jetstream';
import { DEFAULT_EXECUTION_POLICY, type ExecutionPolicy } from '../../libs/shared/src';
import { TestStack } from '../support/stack';

const everyMinute: Partial<ExecutionPolicy> = { mode: 'scheduled', schedule: { cron: '* * * * *', timezone: 'Europe/Berlin' } };

describe('cron endpoint /api/scheduler/run', () => {
  let stack: TestStack;

  beforeAll(async () => {
    // Timer off: only the endpoint sweeps, so every count below is the endpoint's.
    stack = await TestStack.start({ services: ['gateway', 'scheduler'], env: { SCHEDULER_SWEEP_INTERVAL_MS: '0' } });
  });

  afterAll(async () => {
    await stack.close();
  });

  it('rejects a missing or wrong token with 401 problem+json', async () => {
    for (const token of [null, 'not-the-token-at-all', `${stack.env.CRON_SECRET}x`]) {
      for (const method of ['GET', 'POST']) {
        const res = await stack.api(method, '/api/scheduler/run', undefined, { token });
        expect(res.status).toBe(401);
        expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
      }
    }
  });

  it('accepts the API token and CRON_SECRET, by GET and POST', async () => {
    for (const token of [stack.token, stack.env.CRON_SECRET!]) {
      for (const method of ['GET', 'POST']) {
        const res = await stack.api(method, '/api/scheduler/run', undefined, { token });
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ checked: expect.any(Number), triggered: expect.any(Number), skipped: expect.any(Number), triggeredMetricIds: expect.any(Array) });
      }
    }
  });

  it('takes a POST with a JSON content type and no body (as cron services send it) as an empty request', async () => {
    const res = await stack.api('POST', '/api/scheduler/run', undefined, { headers: { 'content-type': 'application/json' }, raw: '' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ triggeredMetricIds: expect.any(Array) });
    // elsewhere an empty JSON body is still a 400 naming the body
    const elsewhere = await stack.api('POST', '/api/dashboards', undefined, { headers: { 'content-type': 'application/json' }, raw: '' });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body).toMatchObject({ errors: [{ path: '(body)' }] });
  });

  it('triggers every due scheduled metric once; calling again at once triggers nothing new', async () => {
    const due = await stack.factories.metric({ policy: everyMinute, nextRunAt: new Date(Date.now() - 1000) });
    const notDue = await stack.factories.metric({ policy: everyMinute, nextRunAt: new Date(Date.now() + 3600_000) });
    await stack.factories.metric({ policy: DEFAULT_EXECUTION_POLICY });

    const first = await stack.api('POST', '/api/scheduler/run', undefined, { token: stack.env.CRON_SECRET! });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ checked: 1, triggered: 1, skipped: 0, triggeredMetricIds: [due] });

    const again = await stack.api('GET', '/api/scheduler/run');
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ checked: 0, triggered: 0, skipped: 0, triggeredMetricIds: [] });

    const jsm = await jetstreamManager(stack.nc);
    const info = await jsm.streams.info(stack.names.runStream, { subjects_filter: '>' });
    expect(info.state.subjects).toEqual({ [stack.names.runSubject(due)]: 1 });
    expect(notDue).not.toBe(due);
  });

  it('honours a limit from the body or the query string and names a bad one', async () => {
    const ids = await Promise.all([1, 2, 3].map(() => stack.factories.metric({ policy: everyMinute, nextRunAt: new Date(Date.now() - 1000) })));
    const byBody = await stack.api('POST', '/api/scheduler/run', { limit: 1 });
    expect(byBody.body).toMatchObject({ checked: 1, triggered: 1 });
    const byQuery = await stack.api('GET', '/api/scheduler/run?limit=1');
    expect(byQuery.body).toMatchObject({ checked: 1, triggered: 1 });
    const rest = await stack.api('GET', '/api/scheduler/run');
    expect(rest.body).toMatchObject({ checked: 1, triggered: 1 });
    expect(new Set([...byBody.body.triggeredMetricIds, ...byQuery.body.triggeredMetricIds, ...rest.body.triggeredMetricIds])).toEqual(new Set(ids));

    for (const [method, path, body] of [
      ['GET', '/api/scheduler/run?limit=0', undefined],
      ['GET', '/api/scheduler/run?limit=abc', undefined],
      ['POST', '/api/scheduler/run', { limit: -1 }],
      ['POST', '/api/scheduler/run', { limit: 1.5 }],
      ['POST', '/api/scheduler/run', { limit: '5' }],
    ] as const) {
      const res = await stack.api(method, path, body);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(res.body.errors).toEqual([expect.objectContaining({ path: 'limit' })]);
    }
    const unknownField = await stack.api('POST', '/api/scheduler/run', { limitt: 5 });
    expect(unknownField.status).toBe(400);
  });
});

describe('cron endpoint without a scheduler', () => {
  it('answers 503 problem+json when no scheduler answers in time', async () => {
    const stack = await TestStack.start({ services: ['gateway'], env: { SCHEDULER_SWEEP_TIMEOUT_MS: '300' } });
    try {
      const res = await stack.api('POST', '/api/scheduler/run');
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 503, title: 'Service unavailable' });
      expect(res.body.detail).toMatch(/no scheduler answered/);

      // a scheduler that never answers (a stuck replica) is a timeout, also 503
      const sub = stack.nc.subscribe(stack.names.schedulerSweep, { queue: 'scheduler', callback: () => undefined });
      await stack.nc.flush(); // the server knows the subscription before the gateway asks
      const started = Date.now();
      const stuck = await stack.api('GET', '/api/scheduler/run');
      expect(stuck.status).toBe(503);
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
      sub.unsubscribe();
    } finally {
      await stack.close();
    }
  });
});
