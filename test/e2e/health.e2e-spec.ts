import { TestStack } from '../support/stack';

describe('gateway health and auth (e2e)', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await TestStack.start({ services: ['gateway', 'executor', 'scheduler', 'chat'] });
  });
  afterAll(() => stack.close());

  it('GET /health answers 200 with database and NATS checks, without credentials', async () => {
    const res = await stack.api('GET', '/health', undefined, { token: null });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', checks: { database: 'ok', nats: 'ok' } });
  });

  it('answers unknown routes with a problem+json 404, never 500', async () => {
    const res = await stack.api('GET', '/api/no-such-thing');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ status: 404 });
  });
});
