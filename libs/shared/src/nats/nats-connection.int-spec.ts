import { jetstreamManager } from '@nats-io/jetstream';
import { createTestNats, type TestNats } from '../../../../test/support/nats';
import { ensureRunStream } from './nats-connection';

describe('ensureRunStream (real NATS)', () => {
  let nats: TestNats;
  beforeEach(async () => {
    nats = await createTestNats();
  });
  afterEach(() => nats.cleanup());

  it('lets many replicas create the stream at once: all succeed, one stream with the settings', async () => {
    const jsm = await jetstreamManager(nats.nc);
    const options = { duplicateWindowMs: 30_000, maxAgeMs: 3_600_000 };
    const outcomes = await Promise.allSettled(Array.from({ length: 6 }, () => ensureRunStream(jsm, nats.names, options)));
    expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
    const info = await jsm.streams.info(nats.names.runStream);
    expect(info.config).toMatchObject({ subjects: [nats.names.runSubjects], retention: 'workqueue', duplicate_window: 30_000 * 1e6 });
  });

  it('updates the mutable settings of an existing stream', async () => {
    const jsm = await jetstreamManager(nats.nc);
    await ensureRunStream(jsm, nats.names, { duplicateWindowMs: 30_000, maxAgeMs: 3_600_000 });
    await ensureRunStream(jsm, nats.names, { duplicateWindowMs: 60_000, maxAgeMs: 3_600_000 });
    expect((await jsm.streams.info(nats.names.runStream)).config.duplicate_window).toBe(60_000 * 1e6);
  });
});
