import { randomUUID } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import pino from 'pino';
import { ManualClock } from '@assemblr/shared';
import { createTestNats, type TestNats } from '../../../../test/support/nats';
import type { GatewayConfig } from '../gateway.config';
import { RunRequester, runDedupeKey } from './run-requester.service';

// Real JetStream: a burst publishes one request per key, on one replica and across replicas.
describe('RunRequester (NATS)', () => {
  let nats: TestNats;
  const config = { REFRESH_DEDUPE_MS: 60_000 } as GatewayConfig;
  const replica = async () => {
    const requester = new RunRequester(nats.nc, nats.names, new ManualClock(), pino({ level: 'silent' }), config);
    await requester.onModuleInit();
    return requester;
  };
  const streamMessages = async () => (await (await jetstreamManager(nats.nc)).streams.info(nats.names.runStream)).state.messages;

  beforeEach(async () => {
    nats = await createTestNats();
  });
  afterEach(() => nats.cleanup());

  it('creates the run stream when missing and publishes one request for a burst of stale reads', async () => {
    const a = await replica();
    const metricId = randomUUID();
    const key = runDedupeKey(metricId, 'stale_refresh', { completed: { executionId: randomUUID(), completedAt: new Date(), result: 1 }, failure: null });
    const results = await Promise.all(Array.from({ length: 100 }, () => a.request(metricId, 'stale_refresh', key)));
    expect(results.every(Boolean)).toBe(true);
    expect(await streamMessages()).toBe(1);
  });

  it('dedupes across replicas through Nats-Msg-Id', async () => {
    const [a, b] = [await replica(), await replica()];
    const metricId = randomUUID();
    const key = runDedupeKey(metricId, 'cold_load', { completed: null, failure: null });
    await Promise.all([a.request(metricId, 'cold_load', key), b.request(metricId, 'cold_load', key)]);
    expect(await streamMessages()).toBe(1);
    // a different key (e.g. after a failure) is a new request; manual refreshes are never deduped
    await a.request(metricId, 'cold_load', runDedupeKey(metricId, 'cold_load', { completed: null, failure: { executionId: randomUUID(), at: new Date(), message: 'x' } }));
    await a.request(metricId, 'manual');
    await a.request(metricId, 'manual');
    expect(await streamMessages()).toBe(4);
  });
});
