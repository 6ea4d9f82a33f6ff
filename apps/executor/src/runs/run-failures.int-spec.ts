import { randomUUID } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { ExecutionStore, latestRecordSchema } from '@assemblr/shared';
import { expectEventually } from '../../../../test/support/expect-eventually';
import { collectEvents, publishRunRequest, runRequest } from '../../../../test/support/run-requests';
import { TestStack } from '../../../../test/support/stack';
import { ExecutorStats } from './executor-stats.service';

const ACK_WAIT_MS = 1000;

describe('bad requests, timeouts and lost leases (real NATS + Postgres)', () => {
  let stack: TestStack;
  let store: ExecutionStore;
  let stats: ExecutorStats;

  beforeAll(async () => {
    stack = await TestStack.start({
      services: ['executor'],
      env: { EXECUTOR_LEASE_TTL_MS: '600', EXECUTOR_ACK_WAIT_MS: String(ACK_WAIT_MS), EXECUTOR_MAX_RUN_MS: '2000' },
    });
    store = new ExecutionStore(stack.db.dataSource);
    stats = stack.apps[0].app.get(ExecutorStats);
  });
  afterAll(() => stack.close());

  const consumerInfo = async () => (await jetstreamManager(stack.nc)).consumers.info(stack.names.runStream, stack.names.runConsumer);
  const leaseOf = async (metricId: string) => (await new Kvm(stack.nc).open(stack.names.leasesBucket)).get(metricId);

  it('terminates malformed, schema-invalid and unknown-metric requests once, without redelivery', async () => {
    const before = await consumerInfo();
    await publishRunRequest(stack.nc, stack.names, '{not json');
    await publishRunRequest(stack.nc, stack.names, JSON.stringify({ metricId: 'nope', reason: 'sometimes' }));
    await publishRunRequest(stack.nc, stack.names, runRequest(randomUUID()));
    await expectEventually(() => expect(stats.snapshot().terminated).toBe(3));
    // past the ack wait: nothing came back
    await new Promise((resolve) => setTimeout(resolve, ACK_WAIT_MS + 500));
    const after = await consumerInfo();
    expect(after.delivered.consumer_seq - before.delivered.consumer_seq).toBe(3);
    expect(after.num_redelivered).toBe(0);
    expect(after.num_pending).toBe(0);
    expect(after.num_ack_pending).toBe(0);
    expect(stats.snapshot().terminated).toBe(3);
  });

  it('fails a run over its definition timeout, releases the lease and acks the request', async () => {
    const metricId = await stack.factories.metric({ definition: { delayMs: 5000, timeoutMs: 300 } });
    const events = collectEvents(stack.nc, stack.names);
    await publishRunRequest(stack.nc, stack.names, runRequest(metricId));
    const failed = await events.next((e) => e.metricId === metricId && e.type === 'failed');
    events.stop();
    expect(failed.error).toBe('timed out after 300 ms');
    expect(await store.getExecution(failed.executionId)).toMatchObject({ status: 'failed', failureKind: 'timeout' });
    await expectEventually(async () => expect((await leaseOf(metricId))?.operation ?? 'DEL').not.toBe('PUT'));
    await expectEventually(async () => expect((await consumerInfo()).num_ack_pending).toBe(0));
  });

  it('caps a run without its own timeout at EXECUTOR_MAX_RUN_MS', async () => {
    const metricId = await stack.factories.metric({ definition: { delayMs: 60_000 } });
    const events = collectEvents(stack.nc, stack.names);
    await publishRunRequest(stack.nc, stack.names, runRequest(metricId));
    const failed = await events.next((e) => e.metricId === metricId && e.type === 'failed');
    events.stop();
    expect(failed.error).toBe('timed out after 2000 ms');
  });

  it('stops a run whose lease is taken away, records "lease lost" and never writes its result', async () => {
    const metricId = await stack.factories.metric({ definition: { value: 'stale', delayMs: 1500 } });
    const events = collectEvents(stack.nc, stack.names);
    await publishRunRequest(stack.nc, stack.names, runRequest(metricId));
    const started = await events.next((e) => e.metricId === metricId && e.type === 'started');
    // the next attempt is quick; the lease vanishes under the running one
    await stack.db.dataSource.query(`UPDATE metrics SET definition = '{"value": "fresh"}' WHERE id = $1`, [metricId]);
    await (await new Kvm(stack.nc).open(stack.names.leasesBucket)).delete(metricId);

    const lost = await events.next((e) => e.executionId === started.executionId && e.type === 'failed');
    expect(lost.error).toMatch(/^lease lost/);
    expect(await store.getExecution(started.executionId)).toMatchObject({ status: 'failed', failureKind: 'lease_lost', result: null });
    // the request was handed back, not lost: a new run answers it
    const completed = await events.next((e) => e.metricId === metricId && e.type === 'completed');
    events.stop();
    expect(completed.executionId).not.toBe(started.executionId);
    expect((await store.getLatestExecution(metricId))?.result).toEqual({ value: 'fresh' });
    const entry = await (await new Kvm(stack.nc).open(stack.names.latestBucket)).get(metricId);
    expect(latestRecordSchema.parse(entry!.json()).completed?.executionId).toBe(completed.executionId);
    // the stopped run's delay ends later: still nothing of it may land
    await new Promise((resolve) => setTimeout(resolve, 1600));
    expect(await store.getExecution(started.executionId)).toMatchObject({ status: 'failed', result: null });
    expect((await store.getLatestExecution(metricId))?.id).toBe(completed.executionId);
  });
});
