import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pino from 'pino';
import { createGatewayApp } from '../../apps/gateway/src/gateway.app';
import { loadGatewayConfig } from '../../apps/gateway/src/gateway.config';
import { MetricOutcomes } from '../../apps/gateway/src/read-model/metric-outcomes.service';
import { expectEventually } from '../support/expect-eventually';
import { TestStack } from '../support/stack';

/** Reads an SSE stream until `match` holds for one event's data (JSON), or the bound passes. */
async function nextSseEvent(body: ReadableStream<Uint8Array>, match: (data: Record<string, unknown>) => boolean, timeoutMs = 8000): Promise<{ id: string; data: Record<string, unknown>; raw: string }> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const deadline = Date.now() + timeoutMs;
  try {
    while (Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const dataLine = block.split('\n').find((l) => l.startsWith('data: '));
        if (!dataLine) continue;
        const data = JSON.parse(dataLine.slice(6)) as Record<string, unknown>;
        if (match(data)) return { id: block.split('\n').find((l) => l.startsWith('id: '))?.slice(4) ?? '', data, raw: block };
      }
    }
  } finally {
    reader.releaseLock();
  }
  throw new Error('no matching SSE event');
}

// Server-Sent Events and a second gateway replica (shared waits, definition-change broadcast).
describe('gateway live updates and replicas (e2e)', () => {
  let stack: TestStack;
  let second: NestFastifyApplication;
  let secondUrl: string;
  let dataSourceId: string;
  beforeAll(async () => {
    // revalidation far away: only events and the change broadcast can explain what a replica sees
    stack = await TestStack.start({ services: ['gateway', 'executor'], env: { CACHE_REVALIDATE_MS: '60000', SSE_HEARTBEAT_MS: '200', EXECUTOR_SOURCE_CONCURRENCY: '16' } });
    second = await createGatewayApp(loadGatewayConfig(stack.env), pino({ level: 'silent' }));
    await second.listen(0, '127.0.0.1');
    secondUrl = (await second.getUrl()).replace('[::1]', '127.0.0.1');
    dataSourceId = (await stack.api('POST', '/api/data-sources', { name: 'Demo', kind: 'demo' })).body.id;
  });
  afterAll(async () => {
    await second?.close();
    await stack.close();
  });

  const auth = () => ({ authorization: `Bearer ${stack.token}` });
  const newMetric = async (definition: Record<string, unknown>) => (await stack.api('POST', '/api/metrics', { name: 'Live', dataSourceId, definition })).body.id as string;

  it('SSE: pushes the new view when a run completes and when one fails, with heartbeats; cleans up on disconnect', async () => {
    const metricId = await newMetric({ value: 1 });
    const first = (await stack.api('GET', `/api/metrics/${metricId}/result`)).body;
    const dashboardId = (await stack.api('POST', '/api/dashboards', { name: 'Live board', metricIds: [metricId] })).body.id;
    const outcomes = stack.gateway!.get(MetricOutcomes);
    const listenersBefore = outcomes.listenerCount;

    const controller = new AbortController();
    const res = await fetch(`${stack.baseUrl}/api/dashboards/${dashboardId}/events`, { headers: auth(), signal: controller.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    expect(outcomes.listenerCount).toBe(listenersBefore + 1);

    expect((await stack.api('POST', `/api/metrics/${metricId}/refresh`)).status).toBe(202);
    const completed = await nextSseEvent(res.body!, (d) => d.executionId !== first.executionId && d.state === 'fresh');
    expect(completed.data).toMatchObject({ metricId, name: 'Live', state: 'fresh', result: { value: 1 }, lastError: null });
    expect(completed.id).toBe(completed.data.executionId);

    await stack.api('PATCH', `/api/metrics/${metricId}`, { definition: { fail: true } });
    await stack.api('POST', `/api/metrics/${metricId}/refresh`);
    const failed = await nextSseEvent(res.body!, (d) => d.lastError !== null);
    expect(failed.data).toMatchObject({ state: 'fresh', executionId: completed.data.executionId, lastError: { message: expect.stringContaining('fail') } });

    controller.abort();
    await expectEventually(() => expect(outcomes.listenerCount).toBe(listenersBefore));
  });

  it('SSE: 401 without a token, 404 for an unknown dashboard, heartbeat comments while idle', async () => {
    const dashboardId = (await stack.api('POST', '/api/dashboards', { name: 'Idle', metricIds: [] })).body.id;
    expect((await fetch(`${stack.baseUrl}/api/dashboards/${dashboardId}/events`)).status).toBe(401);
    const missing = await fetch(`${stack.baseUrl}/api/dashboards/6f1c2b1e-1111-4a2b-8c3d-9e8f7a6b5c4d/events`, { headers: auth() });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
    const controller = new AbortController();
    const res = await fetch(`${stack.baseUrl}/api/dashboards/${dashboardId}/events`, { headers: auth(), signal: controller.signal });
    const reader = res.body!.getReader();
    let text = '';
    while (!text.includes(': heartbeat')) text += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    expect(text).toContain(': connected');
  });

  it('blocked readers on two replicas wait on the same run', async () => {
    const metricId = await newMetric({ value: 42, delayMs: 400 });
    const read = (base: string) => fetch(`${base}/api/metrics/${metricId}/result`, { headers: auth() }).then((r) => r.json() as Promise<{ executionId: string; state: string }>);
    const views = await Promise.all([...Array.from({ length: 20 }, () => read(stack.baseUrl)), ...Array.from({ length: 20 }, () => read(secondUrl))]);
    expect(views.every((v) => v.state === 'fresh')).toBe(true);
    expect(new Set(views.map((v) => v.executionId)).size).toBe(1);
    expect((await stack.api('GET', `/api/metrics/${metricId}/executions`)).body).toHaveLength(1);
  });

  it('a definition change on one replica is seen at once by the other (broadcast, not revalidation)', async () => {
    const metricId = await newMetric({ value: 7 });
    const onSecond = () => fetch(`${secondUrl}/api/metrics/${metricId}/result`, { headers: auth() }).then((r) => r.json() as Promise<{ name: string }>);
    expect((await onSecond()).name).toBe('Live');
    await stack.api('PATCH', `/api/metrics/${metricId}`, { name: 'Renamed' });
    await expectEventually(async () => expect((await onSecond()).name).toBe('Renamed'), { timeoutMs: 2000 });
  });
});
