import { randomUUID } from 'node:crypto';
import { DiscardPolicy, jetstreamManager } from '@nats-io/jetstream';
import { ensureRunStream } from '@assemblr/shared';
import { createTestNats, type TestNats } from '../../../../test/support/nats';
import { PipelinedPublisher, PubAckError } from './pipelined-publisher';

// Real JetStream on a random prefix per test.
describe('PipelinedPublisher (real NATS)', () => {
  let nats: TestNats;
  let publisher: PipelinedPublisher;
  const message = (metricId: string, msgId = `${metricId}:slot`) => ({ subject: nats.names.runSubject(metricId), data: JSON.stringify({ metricId }), msgId });

  beforeEach(async () => {
    nats = await createTestNats();
    publisher = new PipelinedPublisher(nats.nc, 1_000);
  });
  afterEach(async () => {
    publisher.stop();
    await nats.cleanup();
  });

  it('matches each ack to its message, in order, and flags duplicates', async () => {
    await ensureRunStream(await jetstreamManager(nats.nc), nats.names);
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    const first = await publisher.publishWindow(ids.map((id) => message(id)));
    expect(first).toEqual(ids.map((_, i) => ({ stream: nats.names.runStream, seq: i + 1, duplicate: false })));

    const again = await publisher.publishWindow([message(ids[1]), message(randomUUID())]);
    expect(again).toEqual([
      { stream: nats.names.runStream, seq: 2, duplicate: true },
      { stream: nats.names.runStream, seq: 4, duplicate: false },
    ]);
    const stored = await (await jetstreamManager(nats.nc)).streams.getMessage(nats.names.runStream, { seq: 3 });
    expect(stored?.header?.get('Nats-Msg-Id')).toBe(`${ids[2]}:slot`);
    expect(await publisher.publishWindow([])).toEqual([]);
  });

  it('rejects a window when no stream stores the subject', async () => {
    await expect(publisher.publishWindow([message(randomUUID())])).rejects.toMatchObject({ name: 'PubAckError', code: 503 });
  });

  it('rejects a window with the error JetStream answers', async () => {
    const jsm = await jetstreamManager(nats.nc);
    const stream = `${nats.names.runStream}_FULL`;
    const subject = `${nats.names.prefix}.full.x`;
    // a stream that refuses a second message: a real `{ error }` ack
    await jsm.streams.add({ name: stream, subjects: [subject], max_msgs: 1, discard: DiscardPolicy.New });
    try {
      await publisher.publishWindow([{ subject, data: '1', msgId: 'a' }]);
      const error = await publisher.publishWindow([{ subject, data: '2', msgId: 'b' }]).catch((err: unknown) => err);
      expect(error).toBeInstanceOf(PubAckError);
      expect((error as PubAckError).message).toMatch(/^publish refused: maximum messages exceeded/);
    } finally {
      await jsm.streams.delete(stream);
    }
  });

  it('rejects a window whose acks do not come within the timeout', async () => {
    const metricId = randomUUID();
    // a plain subscriber takes the subject (so no 503) and never answers
    const silent = nats.nc.subscribe(nats.names.runSubject(metricId));
    const started = Date.now();
    const error = await publisher.publishWindow([message(metricId)]).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(PubAckError);
    expect((error as PubAckError).message).toMatch(/no ack for 1 of 1 publishes within 1000 ms/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    silent.unsubscribe();
  });
});
