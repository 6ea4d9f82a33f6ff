import { Writable } from 'node:stream';
import pino from 'pino';
import { FakeLlmServer } from '../../../../test/support/fake-llm-server';
import { OpenAiCompatibleModel } from './openai-compatible.model';

const API_KEY = 'sk-test-secret-key-never-logged-0123456789';
const draft = 'Revenue today is 1,234.5. Data from 10:42 UTC (3 minutes ago).';

describe('OpenAiCompatibleModel against a local OpenAI-compatible server', () => {
  let server: FakeLlmServer;
  let logs: string[];
  let model: OpenAiCompatibleModel;

  beforeAll(async () => {
    server = await new FakeLlmServer().start();
  });
  afterAll(() => server.close());
  beforeEach(() => {
    logs = [];
    const sink = new Writable({ write: (chunk: Buffer, _enc, done) => (logs.push(chunk.toString()), done()) });
    model = new OpenAiCompatibleModel({ baseUrl: `${server.baseUrl}/`, apiKey: API_KEY, model: 'test-model', timeoutMs: 300 }, pino({ level: 'debug' }, sink));
    server.requests.length = 0;
  });

  const intentRequest = { purpose: 'ask' as const, text: 'how is money coming in today?', metricNames: ['Revenue today', 'Refunds today'] };

  it('extracts intent in JSON mode, sending the key only as a bearer header', async () => {
    server.respond = () => ({ content: '{"concepts": ["Revenue today"], "name": null}' });
    await expect(model.extractIntent(intentRequest)).resolves.toEqual({ concepts: ['Revenue today'], name: null });
    const [request] = server.requests;
    expect(request.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request.body).toMatchObject({ model: 'test-model', response_format: { type: 'json_object' } });
    expect(request.body.messages?.[1].content).toContain('"Revenue today","Refunds today"');
    expect(request.body.messages?.[1].content).toContain('how is money coming in today?');
  });

  it('accepts a fenced JSON answer and rejects one that does not fit the schema', async () => {
    server.respond = () => ({ content: '```json\n{"concepts": ["refunds"]}\n```' });
    await expect(model.extractIntent(intentRequest)).resolves.toEqual({ concepts: ['refunds'] });
    server.respond = () => ({ content: '{"concepts": "refunds"}' });
    await expect(model.extractIntent(intentRequest)).resolves.toBeNull();
    server.respond = () => ({ content: 'Revenue, I think.' });
    await expect(model.extractIntent(intentRequest)).resolves.toBeNull();
  });

  it('falls back (null) on a non-2xx answer, a malformed body and a timeout', async () => {
    server.respond = () => ({ status: 500, raw: '{"error":{"message":"overloaded"}}' });
    await expect(model.extractIntent(intentRequest)).resolves.toBeNull();
    server.respond = () => ({ status: 401, raw: '{"error":"bad key"}' });
    await expect(model.phraseReply('revenue?', draft)).resolves.toBeNull();
    server.respond = () => ({ status: 200, raw: '{"choices": "nope"}' });
    await expect(model.extractIntent(intentRequest)).resolves.toBeNull();
    server.respond = () => ({ delayMs: 1500, content: '{"concepts": ["Revenue today"]}' });
    const startedAt = Date.now();
    await expect(model.extractIntent(intentRequest)).resolves.toBeNull();
    expect(Date.now() - startedAt).toBeLessThan(1200);
    expect(logs.join('')).toMatch(/timed out/);
  });

  it('falls back when the endpoint is not there at all', async () => {
    const nowhere = new OpenAiCompatibleModel({ baseUrl: 'http://127.0.0.1:9/v1', apiKey: API_KEY, model: 'm', timeoutMs: 500 }, pino({ level: 'silent' }));
    await expect(nowhere.phraseReply('revenue?', draft)).resolves.toBeNull();
  });

  it('uses a rewording that keeps the facts and refuses one that invents numbers', async () => {
    server.respond = () => ({ content: 'So far today revenue stands at 1,234.5. Data from 10:42 UTC (3 minutes ago).' });
    await expect(model.phraseReply('revenue?', draft)).resolves.toBe('So far today revenue stands at 1,234.5. Data from 10:42 UTC (3 minutes ago).');
    server.respond = () => ({ content: 'Revenue today is about 1,300, up 4% on yesterday. Data from 10:42 UTC (3 minutes ago).' });
    await expect(model.phraseReply('revenue?', draft)).resolves.toBeNull();
    expect(server.requests[0].body.response_format).toBeUndefined();
  });

  it('never logs the API key', async () => {
    server.respond = () => ({ status: 500, raw: `{"error":"key ${API_KEY} rejected"}` });
    await model.extractIntent(intentRequest);
    server.respond = () => ({ delayMs: 1000, content: '{}' });
    await model.phraseReply('revenue?', draft);
    expect(logs.length).toBeGreaterThanOrEqual(2);
    expect(logs.join('\n')).not.toContain(API_KEY);
  });
});
