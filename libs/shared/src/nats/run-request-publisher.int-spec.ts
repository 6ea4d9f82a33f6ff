import { randomUUID } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { createTestNats, type TestNats } from '../../../../test/support/nats';
import { ManualClock } from '../clock';
import { type RunRequest } from './messages';
import { ensureRunStream } from './nats-connection';
import { coldRunMsgId, RunRequestPublisher, staleRunMsgId } from './run-request-publisher';

describe('run request msg ids', () => {
  it('keeps the exact strings gateway and chat dedupe on', () => {
    const [m, c, f] = [randomUUID(), randomUUID(), randomUUID()];
    expect(staleRunMsgId(m, c)).toBe(`${m}:stale:${c}`);
    expect(staleRunMsgId(m, null)).toBe(`${m}:stale:none`);
    expect(coldRunMsgId(m, c, f)).toBe(`${m}:cold:${c}:${f}`);
    expect(coldRunMsgId(m, null, null)).toBe(`${m}:cold:none:none`);
  });
});

// Real JetStream on a random prefix per test.
describe('RunRequestPublisher (real NATS)', () => {
  let nats: TestNats;
  const clock = new ManualClock(new Date('2026-03-01T12:00:00Z'));
  const jsm = () => jetstreamManager(nats.nc);
  const storedRequests = async () => {
    const manager = await jsm();
    const info = await manager.streams.info(nats.names.runStream);
    const out: { msgId: string | undefined; request: RunRequest }[] = [];
    for (let seq = info.state.first_seq; info.state.messages > 0 && seq <= info.state.last_seq; seq++) {
      const msg = (await manager.streams.getMessage(nats.names.runStream, { seq }))!;
      out.push({ msgId: msg.header?.get('Nats-Msg-Id'), request: msg.json<RunRequest>() });
    }
    return out;
  };

  beforeEach(async () => {
    nats = await createTestNats();
  });
  afterEach(() => nats.cleanup());

  it('creates the missing run stream on first publish and publishes a valid request under its msg id', async () => {
    const publisher = new RunRequestPublisher(nats.nc, nats.names, clock);
    const metricId = randomUUID();
    const first = await publisher.publish(metricId, { triggeredBy: 'system', reason: 'stale_refresh', msgId: staleRunMsgId(metricId, null) });
    expect(first.duplicate).toBe(false);
    const again = await publisher.publish(metricId, { triggeredBy: 'system', reason: 'stale_refresh', msgId: staleRunMsgId(metricId, null) });
    expect(again.duplicate).toBe(true);
    await publisher.publish(metricId, { triggeredBy: 'user', reason: 'manual' }); // no msg id: never deduped
    const stored = await storedRequests();
    expect(stored).toEqual([
      { msgId: `${metricId}:stale:none`, request: { ...first.request, requestedAt: '2026-03-01T12:00:00.000Z' } },
      { msgId: expect.any(String), request: expect.objectContaining({ metricId, triggeredBy: 'user', reason: 'manual' }) },
    ]);
    expect(stored[1].msgId).toBe(stored[1].request.requestId);
  });

  it('never changes the settings of a stream the executors created', async () => {
    await ensureRunStream(await jsm(), nats.names, { duplicateWindowMs: 5_000, maxAgeMs: 60_000 });
    await new RunRequestPublisher(nats.nc, nats.names, clock).publish(randomUUID(), { triggeredBy: 'system', reason: 'cold_load' });
    expect((await (await jsm()).streams.info(nats.names.runStream)).config.duplicate_window).toBe(5_000 * 1_000_000);
  });

  it('recreates a stream deleted after a publish failed', async () => {
    const publisher = new RunRequestPublisher(nats.nc, nats.names, clock, 1_000);
    await publisher.publish(randomUUID(), { triggeredBy: 'system', reason: 'cold_load' });
    await (await jsm()).streams.delete(nats.names.runStream);
    await expect(publisher.publish(randomUUID(), { triggeredBy: 'system', reason: 'cold_load' })).rejects.toThrow();
    const metricId = randomUUID();
    await publisher.publish(metricId, { triggeredBy: 'system', reason: 'cold_load' });
    expect((await storedRequests()).map((s) => s.request.metricId)).toEqual([metricId]);
  });

  it('refuses an invalid request before publishing it', async () => {
    const publisher = new RunRequestPublisher(nats.nc, nats.names, clock);
    await expect(publisher.publish('not-a-uuid', { triggeredBy: 'system', reason: 'cold_load' })).rejects.toThrow();
    await expect((await jsm()).streams.info(nats.names.runStream)).rejects.toThrow();
  });
});
