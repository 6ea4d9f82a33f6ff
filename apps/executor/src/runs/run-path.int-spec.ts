import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { ExecutionStore, latestRecordSchema } from '@assemblr/shared';
import { expectEventually } from '../../../../test/support/expect-eventually';
import { collectEvents, publishRunRequest, runRequest } from '../../../../test/support/run-requests';
import { TestStack } from '../../../../test/support/stack';
import { ExecutorStats } from './executor-stats.service';

describe('executor run path (real NATS + Postgres)', () => {
  let stack: TestStack;
  let store: ExecutionStore;

  beforeAll(async () => {
    stack = await TestStack.start({ services: ['executor'], env: { EXECUTOR_LEASE_TTL_MS: '3000', EXECUTOR_ACK_WAIT_MS: '3000' } });
    store = new ExecutionStore(stack.db.dataSource);
  });
  afterAll(() => stack.close());

  it('consumes a request, runs the demo metric, records it and publishes events and the read model', async () => {
    const metricId = await stack.factories.metric({ definition: { value: 7 } });
    const events = collectEvents(stack.nc, stack.names);
    await publishRunRequest(stack.nc, stack.names, runRequest(metricId));
    const completed = await events.next((e) => e.metricId === metricId && e.type === 'completed');
    events.stop();
    expect(events.events.filter((e) => e.metricId === metricId).map((e) => e.type)).toEqual(['started', 'completed']);
    const execution = await store.getExecution(completed.executionId);
    expect(execution).toMatchObject({ status: 'completed', result: { value: 7 }, triggeredBy: 'user', reason: 'manual' });
    const entry = await (await new Kvm(stack.nc).open(stack.names.latestBucket)).get(metricId);
    const record = latestRecordSchema.parse(entry!.json());
    expect(record.completed?.executionId).toBe(completed.executionId);
    expect(record.failure).toBeNull();
    const stats = stack.apps[0].app.get(ExecutorStats);
    expect(stats.snapshot().ran).toBe(1);
    const jsm = await jetstreamManager(stack.nc);
    await expectEventually(async () => {
      const info = await jsm.consumers.info(stack.names.runStream, stack.names.runConsumer);
      expect(info.num_pending + info.num_ack_pending).toBe(0);
    });
  });
});
