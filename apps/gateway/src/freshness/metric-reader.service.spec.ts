import { DEFAULT_EXECUTION_POLICY, ManualClock } from '@assemblr/shared';
import type { GatewayConfig } from '../gateway.config';
import { MetricOutcomes } from '../read-model/metric-outcomes.service';
import type { ReadModelService } from '../read-model/read-model.service';
import type { DashboardDefinition, LatestState, MetricEntry } from '../read-model/read-model.types';
import { CompletionWaiter } from './completion-waiter.service';
import { MetricReader } from './metric-reader.service';
import type { GatewayRunReason, RunRequester } from './run-requester.service';

// The engine's decisions with a ManualClock, an in-memory read model and a recording requester.
function setup(latest: LatestState, policy = { ...DEFAULT_EXECUTION_POLICY, ttlSeconds: 60, maxStalenessSeconds: 600 }) {
  const clock = new ManualClock('2026-11-27T10:00:00.000Z');
  const entry: MetricEntry = { def: { id: 'm1', name: 'M', policy }, latest, version: 0 };
  const dashboard: DashboardDefinition = { id: 'd1', name: 'D', metricIds: ['m1'] };
  const readModel = {
    peekMetric: (id: string) => (id === 'm1' ? entry : undefined),
    getMetrics: async (ids: string[]) => new Map(ids.filter((id) => id === 'm1').map((id) => [id, entry])),
    peekDashboard: (id: string) => (id === 'd1' ? dashboard : undefined),
    getDashboard: async (id: string) => (id === 'd1' ? dashboard : undefined),
  } as unknown as ReadModelService;
  const requests: { reason: GatewayRunReason; key?: string }[] = [];
  const requester = {
    request: async (_id: string, reason: GatewayRunReason, key?: string) => {
      requests.push({ reason, key });
      return true;
    },
  } as unknown as RunRequester;
  const outcomes = new MetricOutcomes();
  const waiter = new CompletionWaiter(outcomes);
  waiter.onModuleInit();
  const config = { BLOCKING_READ_TIMEOUT_MS: 200 } as GatewayConfig;
  const reader = new MetricReader(readModel, requester, waiter, clock, config);
  return { reader, clock, entry, requests, outcomes, waiter };
}

const completedAt = (clock: ManualClock, secondsAgo: number) => new Date(clock.now().getTime() - secondsAgo * 1000);

describe('MetricReader', () => {
  it('fresh: the cached result, nothing requested; the warm dashboard path is synchronous', () => {
    const t = setup({ completed: { executionId: 'e1', completedAt: new Date('2026-11-27T09:59:30.000Z'), result: { value: 1 } }, failure: null });
    const body = JSON.parse(t.reader.tryReadDashboardJson('d1')!);
    expect(body.metrics[0]).toMatchObject({ state: 'fresh', executionId: 'e1', ageSeconds: 30, refreshing: false });
    expect(t.requests).toEqual([]);
  });

  it('stale: every reader of a burst asks under the same dedupe key (one request reaches the stream)', async () => {
    const t = setup({ completed: { executionId: 'e1', completedAt: new Date('2026-11-27T09:58:00.000Z'), result: 1 }, failure: null });
    const views = await Promise.all(Array.from({ length: 20 }, () => t.reader.readMetric('m1')));
    expect(views.every((v) => v.state === 'stale' && v.refreshing && v.executionId === 'e1')).toBe(true);
    expect(new Set(t.requests.map((r) => `${r.reason}/${r.key}`))).toEqual(new Set(['stale_refresh/m1:stale:e1']));
  });

  it('missing under block: all readers share one wait and get the completed result', async () => {
    const t = setup({ completed: null, failure: null });
    const reads = Promise.all(Array.from({ length: 50 }, () => t.reader.readMetric('m1')));
    await new Promise((r) => setImmediate(r));
    expect(t.waiter.pending).toBe(1);
    t.entry.latest = { completed: { executionId: 'e9', completedAt: completedAt(t.clock, 0), result: { value: 9 } }, failure: null };
    t.outcomes.emit({ metricId: 'm1', type: 'completed', executionId: 'e9' });
    const views = await reads;
    expect(views.every((v) => v.state === 'fresh' && v.executionId === 'e9')).toBe(true);
    expect(new Set(t.requests.map((r) => r.key))).toEqual(new Set(['m1:cold:none:none']));
    expect(t.waiter.pending).toBe(0);
  });

  it('expired under block: a failed run answers error with a null result and lastError', async () => {
    const t = setup({ completed: { executionId: 'e1', completedAt: new Date('2026-11-27T08:00:00.000Z'), result: 1 }, failure: null });
    const read = t.reader.readMetric('m1');
    await new Promise((r) => setImmediate(r));
    t.entry.latest = { ...t.entry.latest, failure: { executionId: 'f1', at: t.clock.now(), message: 'boom' } };
    t.outcomes.emit({ metricId: 'm1', type: 'failed', executionId: 'f1' });
    expect(await read).toMatchObject({ state: 'error', result: null, lastError: { executionId: 'f1', message: 'boom' } });
  });

  it('a blocking read not answered within the bound is loading (and the run goes on)', async () => {
    const t = setup({ completed: null, failure: null });
    expect(await t.reader.readMetric('m1')).toMatchObject({ state: 'loading', refreshing: true, result: null });
    expect(t.waiter.pending).toBe(0);
  });

  it('the loading policy answers at once and requests a cold load', async () => {
    const t = setup({ completed: null, failure: null }, { ...DEFAULT_EXECUTION_POLICY, onExpired: 'loading' });
    expect(await t.reader.readMetric('m1')).toMatchObject({ state: 'loading', refreshing: true });
    expect(t.requests).toEqual([{ reason: 'cold_load', key: 'm1:cold:none:none' }]);
  });

  it('unknown ids are 404 problems', async () => {
    const t = setup({ completed: null, failure: null });
    await expect(t.reader.readMetric('nope')).rejects.toMatchObject({ code: 'not_found' });
    await expect(t.reader.readDashboardJson('nope')).rejects.toMatchObject({ code: 'not_found' });
  });
});
