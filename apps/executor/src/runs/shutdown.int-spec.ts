import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { ExecutionStore } from '@assemblr/shared';
import { expectEventually } from '../../../../test/support/expect-eventually';
import { collectEvents, publishRunRequest, runRequest } from '../../../../test/support/run-requests';
import { TestStack } from '../../../../test/support/stack';

describe('graceful shutdown (real NATS + Postgres)', () => {
  let stack: TestStack;
  let store: ExecutionStore;

  beforeAll(async () => {
    stack = await TestStack.start({ services: [], env: { EXECUTOR_LEASE_TTL_MS: '3000', EXECUTOR_ACK_WAIT_MS: '3000' } });
    store = new ExecutionStore(stack.db.dataSource);
  });
  afterAll(() => stack.close());

  it('lets an in-flight run finish before closing', async () => {
    const app = await stack.startService('executor');
    const metricId = await stack.factories.metric({ definition: { value: 3, delayMs: 700 } });
    const events = collectEvents(stack.nc, stack.names);
    await publishRunRequest(stack.nc, stack.names, runRequest(metricId));
    const started = await events.next((e) => e.metricId === metricId && e.type === 'started');
    await app.close();
    events.stop();
    expect(await store.getExecution(started.executionId)).toMatchObject({ status: 'completed', result: { value: 3 } });
  });

  it('fails runs still going at the shutdown timeout, releases their leases and hands the requests to the next executor', async () => {
    stack.env.EXECUTOR_SHUTDOWN_TIMEOUT_MS = '200';
    const app = await stack.startService('executor');
    const metricId = await stack.factories.metric({ definition: { value: 'slow', delayMs: 60_000 } });
    const events = collectEvents(stack.nc, stack.names);
    await publishRunRequest(stack.nc, stack.names, runRequest(metricId));
    const started = await events.next((e) => e.metricId === metricId && e.type === 'started');
    await app.close();
    expect(await store.getExecution(started.executionId)).toMatchObject({ status: 'failed', failureKind: 'shutdown', error: 'executor shutting down' });
    const lease = await (await new Kvm(stack.nc).open(stack.names.leasesBucket)).get(metricId);
    expect(lease?.operation ?? 'DEL').not.toBe('PUT');
    // handed back, not acked: the work-queue stream still holds it
    const streamMessages = async () => (await (await jetstreamManager(stack.nc)).streams.info(stack.names.runStream)).state.messages;
    expect(await streamMessages()).toBe(1);

    await stack.db.dataSource.query(`UPDATE metrics SET definition = '{"value": "next"}' WHERE id = $1`, [metricId]);
    await stack.startService('executor');
    const completed = await events.next((e) => e.metricId === metricId && e.type === 'completed');
    events.stop();
    expect(await store.getExecution(completed.executionId)).toMatchObject({ status: 'completed', result: { value: 'next' } });
    await expectEventually(async () => expect(await streamMessages()).toBe(0));
  });
});
