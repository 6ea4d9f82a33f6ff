import type { INestApplicationContext } from '@nestjs/common';
import { jetstreamManager } from '@nats-io/jetstream';
import pino from 'pino';
import { type ChatAskReply, ExecutionStore, readReply, type RunRequest } from '@assemblr/shared';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database';
import { expectEventually } from '../../../../test/support/expect-eventually';
import { Factories } from '../../../../test/support/factories';
import { createTestNats, TEST_NATS_URL, type TestNats } from '../../../../test/support/nats';
import { createChatApp } from '../chat.app';
import { loadChatConfig } from '../chat.config';

// The chat service alone on real PostgreSQL and NATS, no executor: freshness is assessed locally, and the
// run requests it publishes are read back from the stream (which chat creates: no executor has).
describe('chat service without an executor (int)', () => {
  let db: TestDatabase;
  let nats: TestNats;
  let app: INestApplicationContext;
  let factories: Factories;
  let store: ExecutionStore;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    db = await createTestDatabase();
    nats = await createTestNats();
    const config = loadChatConfig({
      DATABASE_URL: db.url,
      NATS_URL: TEST_NATS_URL,
      ASSEMBLR_NATS_PREFIX: nats.names.prefix,
      CHAT_RUN_WAIT_MS: '300',
      CHAT_FRESHNESS_TIMEOUT_MS: '200',
      CHAT_CATALOG_REVALIDATE_MS: '100',
    });
    app = await createChatApp(config, pino({ level: 'silent' }));
    factories = new Factories(db.dataSource);
    store = new ExecutionStore(db.dataSource);
    // Created before the first question: a later insert is seen only after the revalidation bound.
    ids.weekly = await factories.metric({ name: 'Weekly signups', description: 'accounts created in the last 7 days', definition: { value: 300 } });
    ids.refunds = await factories.metric({ name: 'Refunds today', definition: { value: 9 } });
    ids.orders = await factories.metric({ name: 'Orders today', definition: { value: 3 }, policy: { onExpired: 'loading' } });
  });
  afterAll(async () => {
    await app?.close();
    await nats.cleanup();
    await db.drop();
  });

  const ask = async (message: string): Promise<ChatAskReply> => readReply<ChatAskReply>(await nats.nc.request(nats.names.chatAsk, JSON.stringify({ message }), { timeout: 5000 }));

  /** A completed execution of `metricId` with `value`, finished `ageSeconds` ago. */
  const completedExecution = async (metricId: string, value: unknown, ageSeconds: number) => {
    const execution = await store.createExecution(metricId, { triggeredBy: 'system', reason: 'schedule' });
    await store.markRunning(execution.id);
    await store.completeExecution(execution.id, { value });
    await db.dataSource.query(`UPDATE metric_executions SET completed_at = now() - make_interval(secs => $2) WHERE id = $1`, [execution.id, ageSeconds]);
    return execution.id;
  };

  const streamMessages = async (metricId: string) => {
    const jsm = await jetstreamManager(nats.nc);
    const info = await jsm.streams.info(nats.names.runStream);
    const found: { msgId: string | undefined; request: RunRequest }[] = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
      const msg = await jsm.streams.getMessage(nats.names.runStream, { seq }).catch(() => null);
      if (msg?.subject === nats.names.runSubject(metricId)) found.push({ msgId: msg.header?.get('Nats-Msg-Id'), request: msg.json<RunRequest>() });
    }
    return found;
  };

  it('serves a stale result and publishes one stale_refresh per served execution', async () => {
    const metricId = ids.weekly;
    const executionId = await completedExecution(metricId, 300, 15 * 60);
    const first = await ask('weekly signups');
    expect(first.metrics).toEqual([expect.objectContaining({ metricId, value: 300, state: 'stale' })]);
    expect(first.reply).toMatch(/\(15 minutes ago\); it is getting old and a refresh is under way\.$/);
    await ask('how many people signed up this week?');
    const messages = await streamMessages(metricId);
    expect(messages).toEqual([{ msgId: `${metricId}:stale:${executionId}`, request: expect.objectContaining({ metricId, reason: 'stale_refresh', triggeredBy: 'system' }) }]);
  });

  it('requests a cold_load for an expired result and, when no run finishes in time, says so with the old value', async () => {
    const metricId = ids.refunds;
    const executionId = await completedExecution(metricId, 9, 2 * 3600);
    const reply = await ask('refunds');
    expect(reply.metrics).toEqual([expect.objectContaining({ metricId, value: 9, state: 'loading' })]);
    expect(reply.reply).toMatch(/^Refunds today is being computed now; the run did not finish within 1 second\. The last good value was 9, from \d\d:\d\d UTC \(2 hours ago\)\.$/);
    const messages = await streamMessages(metricId);
    expect(messages).toEqual([{ msgId: `${metricId}:cold:${executionId}:none`, request: expect.objectContaining({ reason: 'cold_load' }) }]);
  });

  it('answers at once, without waiting, for a metric whose policy says onExpired: loading', async () => {
    const metricId = ids.orders;
    const reply = await ask('orders today');
    expect(reply).toEqual({ reply: 'Orders today is being computed now. There is no earlier value to show.', metrics: [expect.objectContaining({ metricId, value: null, computedAt: null, state: 'loading' })], dataAsOf: null });
  });

  it('says it could not tell which metric is meant when a message names none', async () => {
    const reply = await ask('hello there!');
    expect(reply.metrics).toEqual([]);
    expect(reply.dataAsOf).toBeNull();
    expect(reply.reply).toMatch(/^I could not tell which metric you mean\. You can ask about metrics such as "Weekly signups"/);
  });

  it('finds a metric inserted straight into PostgreSQL within the revalidation bound', async () => {
    await ask('revenue'); // loads the catalogue before the insert
    const metricId = await factories.metric({ name: 'Gross margin', tags: ['finance'], definition: { value: 0.4 } });
    await completedExecution(metricId, 0.4, 10);
    await expectEventually(async () => expect((await ask('gross margin')).metrics[0]).toMatchObject({ metricId, value: 0.4, state: 'fresh' }), { timeoutMs: 3000 });
  });
});
