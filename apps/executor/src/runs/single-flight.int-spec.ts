import { ExecutionStore } from '@assemblr/shared';
import { expectEventually } from '../../../../test/support/expect-eventually';
import { collectEvents, publishRunRequest, runRequest } from '../../../../test/support/run-requests';
import { TestStack } from '../../../../test/support/stack';
import { DISPOSITIONS, type ExecutorCounters, ExecutorStats } from './executor-stats.service';

describe('single-flight across two executors (real NATS + Postgres)', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.start({
      services: ['executor'],
      executorReplicas: 2,
      env: { EXECUTOR_LEASE_TTL_MS: '3000', EXECUTOR_ACK_WAIT_MS: '3000', EXECUTOR_MAX_DELIVER: '200' },
    });
  });
  afterAll(() => stack.close());

  const totals = (): ExecutorCounters => {
    const sum = { ran: 0, failed: 0, coalesced: 0, skippedAnswered: 0, skippedFresh: 0, terminated: 0, requeued: 0 };
    for (const { app } of stack.apps) {
      const snapshot = app.get(ExecutorStats).snapshot();
      for (const key of Object.keys(sum) as (keyof ExecutorCounters)[]) sum[key] += snapshot[key];
    }
    return sum;
  };
  const settled = (c: ExecutorCounters) => DISPOSITIONS.reduce((n, d) => n + c[d], 0);

  it('runs one execution for 500 concurrent requests and accounts for every request', async () => {
    const metricId = await stack.factories.metric({ definition: { value: 1, delayMs: 1500 } });
    const store = new ExecutionStore(stack.db.dataSource);
    const countRows = async () =>
      Number((await stack.db.dataSource.query(`SELECT count(*)::int AS n FROM metric_executions WHERE metric_id = $1`, [metricId]))[0].n);
    const events = collectEvents(stack.nc, stack.names);
    const started = events.next((e) => e.metricId === metricId && e.type === 'started');

    await Promise.all(Array.from({ length: 500 }, () => publishRunRequest(stack.nc, stack.names, runRequest(metricId))));
    await started;
    // while it runs: exactly one execution, and it is the running one
    expect(await countRows()).toBe(1);
    expect(await store.getRunningExecution(metricId)).not.toBeNull();

    const completed = await events.next((e) => e.metricId === metricId && e.type === 'completed');
    await expectEventually(() => expect(settled(totals())).toBe(500), { timeoutMs: 20_000 });
    events.stop();
    const counters = totals();
    expect(counters.ran).toBe(1);
    expect(counters.failed + counters.terminated + counters.skippedFresh).toBe(0);
    expect(counters.coalesced + counters.skippedAnswered).toBe(499);
    // every request was made before the run finished: none caused a second run
    expect(await countRows()).toBe(1);
    expect((await store.getLatestExecution(metricId))?.id).toBe(completed.executionId);
    expect(events.events.filter((e) => e.metricId === metricId && e.type === 'started')).toHaveLength(1);
  });
});
