import { expectEventually } from '../support/expect-eventually';
import { TestStack } from '../support/stack';

// A result answers the query that produced it: changing a metric's definition asks for a new run at
// once, and the old result is served (as the cache allows) only until that run lands.
describe('changing a metric definition (e2e)', () => {
  let stack: TestStack;
  let dataSourceId: string;
  beforeAll(async () => {
    stack = await TestStack.start({ services: ['gateway', 'executor'] });
    dataSourceId = (await stack.api('POST', '/api/data-sources', { name: 'Demo', kind: 'demo' })).body.id;
  });
  afterAll(() => stack.close());

  it('requests a user run of the new definition and then serves its result', async () => {
    const id = (await stack.api('POST', '/api/metrics', { name: 'Changing', dataSourceId, definition: { value: 1 } })).body.id as string;
    const first = (await stack.api('GET', `/api/metrics/${id}/result`)).body;
    expect(first).toMatchObject({ state: 'fresh', result: { value: 1 } });

    expect((await stack.api('PATCH', `/api/metrics/${id}`, { definition: { value: 2 } })).status).toBe(200);
    const view = await expectEventually(async () => {
      const v = (await stack.api('GET', `/api/metrics/${id}/result`)).body;
      expect(v).toMatchObject({ state: 'fresh', result: { value: 2 } });
      return v;
    });
    expect(view.executionId).not.toBe(first.executionId);
    const runs = (await stack.api('GET', `/api/metrics/${id}/executions`)).body as { id: string; triggeredBy: string; reason: string }[];
    expect(runs.find((r) => r.id === view.executionId)).toMatchObject({ triggeredBy: 'user', reason: 'manual' });
  });

  it('does not run again when a PATCH leaves the query as it was', async () => {
    const id = (await stack.api('POST', '/api/metrics', { name: 'Steady', dataSourceId, definition: { value: 3 } })).body.id as string;
    await stack.api('GET', `/api/metrics/${id}/result`);
    expect((await stack.api('PATCH', `/api/metrics/${id}`, { name: 'Steady renamed', definition: { value: 3 } })).status).toBe(200);
    // a later run would show up here; a manual refresh is the sentinel that everything before it landed
    expect((await stack.api('POST', `/api/metrics/${id}/refresh?wait=true`)).status).toBe(200);
    const runs = (await stack.api('GET', `/api/metrics/${id}/executions`)).body as { reason: string }[];
    expect(runs.map((r) => r.reason).sort()).toEqual(['cold_load', 'manual']);
  });
});
