import { FakeLlmServer, type FakeLlmAnswer, type RecordedLlmRequest } from '../support/fake-llm-server';
import { TestStack } from '../support/stack';

const draftOf = (request: RecordedLlmRequest) => request.body.messages?.[1].content.split('\nDraft: ')[1] ?? '';

describe('chat with a language model (fake OpenAI-compatible server, e2e)', () => {
  let llm: FakeLlmServer;
  let stack: TestStack;
  const ids: Record<string, string> = {};

  /** The fake's answers per task; each test sets what it needs. */
  let intent: () => FakeLlmAnswer;
  let phrase: (request: RecordedLlmRequest) => FakeLlmAnswer;

  beforeAll(async () => {
    llm = await new FakeLlmServer().start();
    llm.respond = (request) => (FakeLlmServer.task(request) === 'intent' ? intent() : phrase(request));
    stack = await TestStack.start({
      services: ['gateway', 'executor', 'chat'],
      env: { LLM_BASE_URL: llm.baseUrl, LLM_API_KEY: 'sk-e2e-key-0123456789', LLM_MODEL: 'fake-model', LLM_TIMEOUT_MS: '400', CHAT_RUN_WAIT_MS: '8000' },
    });
    const source = await stack.factories.dataSource();
    ids.revenue = await stack.factories.metric({ name: 'Revenue today', description: 'Sum of paid orders since midnight', definition: { value: 1234.5 }, dataSourceId: source });
    ids.refunds = await stack.factories.metric({ name: 'Refunds today', description: 'Amount refunded since midnight', definition: { value: 17 }, dataSourceId: source });
  });
  afterAll(async () => {
    await stack.close();
    await llm.close();
  });
  beforeEach(() => {
    llm.requests.length = 0;
  });

  const ask = (message: string) => stack.api('POST', '/api/chat', { message });

  it('uses the model to find the metric and to phrase the reply; the value comes from the execution', async () => {
    intent = () => ({ content: '{"concepts": ["Revenue today"]}' });
    phrase = (request) => ({ content: `Here is what I found. ${draftOf(request)}` });
    // Nothing in the words matches a metric: only the model's intent can find it.
    const res = await ask('how is money coming in?');
    expect(res.status).toBe(200);
    expect(res.body.metrics).toEqual([expect.objectContaining({ metricId: ids.revenue, value: 1234.5, state: 'fresh' })]);
    expect(res.body.reply).toMatch(/^Here is what I found\. Revenue today is 1,234\.5\. Computed live just now \(\d\d:\d\d UTC\)\.$/);
    expect(llm.requests.map(FakeLlmServer.task)).toEqual(['intent', 'phrase']);
    expect(llm.requests[0].authorization).toBe('Bearer sk-e2e-key-0123456789');
  });

  it('keeps the deterministic reply when the model invents a number', async () => {
    intent = () => ({ content: '{"concepts": ["Revenue today"]}' });
    phrase = () => ({ content: 'Revenue today is 2,000,000 — a record! Data from 10:42 UTC (3 minutes ago).' });
    const res = await ask('revenue today');
    expect(res.status).toBe(200);
    expect(res.body.reply).toMatch(/^Revenue today is 1,234\.5\. Data from \d\d:\d\d UTC \(just now\)\.$/);
  });

  it('falls back to the deterministic path when the model errors or answers garbage', async () => {
    intent = () => ({ status: 503, raw: '{"error":"overloaded"}' });
    phrase = () => ({ status: 200, raw: 'not json at all' });
    const res = await ask('refunds today');
    expect(res.status).toBe(200);
    expect(res.body.metrics).toEqual([expect.objectContaining({ metricId: ids.refunds, value: 17 })]);
    expect(res.body.reply).toMatch(/^Refunds today is 17\. Computed live just now/);
  });

  it('falls back when the model times out, within LLM_TIMEOUT_MS per call', async () => {
    intent = () => ({ delayMs: 3000, content: '{"concepts": ["Refunds today"]}' });
    phrase = () => ({ delayMs: 3000, content: 'late' });
    const startedAt = Date.now();
    const res = await ask('what did we refund today?');
    expect(res.status).toBe(200);
    expect(res.body.reply).toMatch(/^Refunds today is 17\. Data from \d\d:\d\d UTC \(just now\)\.$/);
    expect(Date.now() - startedAt).toBeLessThan(2500);
  });

  it('builds a spec from the concepts the model names, reusing metrics and proposing the rest', async () => {
    intent = () => ({ content: '{"concepts": ["Revenue today", "Refunds today", "weekly active users", "revenue today"], "name": "Money in and out"}' });
    const res = await stack.api('POST', '/api/chat/spec', { prompt: 'something to watch money in and out, and engagement' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      name: 'Money in and out',
      metrics: [{ metricId: ids.revenue }, { metricId: ids.refunds }, { proposed: expect.objectContaining({ name: 'Weekly active users', definition: { value: 0 } }) }],
    });
  });
});
