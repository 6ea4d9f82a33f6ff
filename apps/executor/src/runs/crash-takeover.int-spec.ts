import { ExecutionStore } from '@assemblr/shared';
import { type ChildExecutor, spawnExecutor } from '../../../../test/support/child-executor';
import { expectEventually } from '../../../../test/support/expect-eventually';
import { collectEvents, publishRunRequest, runRequest } from '../../../../test/support/run-requests';
import { TestStack } from '../../../../test/support/stack';
import { ExecutorStats } from './executor-stats.service';

const LEASE_TTL_MS = 1500;
const REAPER_INTERVAL_MS = 500;

describe('crash takeover (a real executor process killed with SIGKILL)', () => {
  let stack: TestStack;
  let child: ChildExecutor | undefined;

  beforeAll(async () => {
    stack = await TestStack.start({
      services: [],
      env: {
        EXECUTOR_LEASE_TTL_MS: String(LEASE_TTL_MS),
        EXECUTOR_ACK_WAIT_MS: '2000',
        EXECUTOR_REAPER_INTERVAL_MS: String(REAPER_INTERVAL_MS),
      },
    });
  });
  afterAll(async () => {
    await child?.kill();
    await stack.close();
  });

  it('lets another replica complete the request and marks the dead run abandoned', async () => {
    const store = new ExecutionStore(stack.db.dataSource);
    const metricId = await stack.factories.metric({ definition: { value: 'slow', delayMs: 60_000 } });
    child = await spawnExecutor(stack.env);
    const events = collectEvents(stack.nc, stack.names);
    await publishRunRequest(stack.nc, stack.names, runRequest(metricId));
    const started = await events.next((e) => e.metricId === metricId && e.type === 'started', 15_000);
    const dead = await store.getExecution(started.executionId);
    expect(dead?.status).toBe('running');

    // the next run of this metric is quick; the dead worker's run never finishes
    await stack.db.dataSource.query(`UPDATE metrics SET definition = '{"value": "taken over"}' WHERE id = $1`, [metricId]);
    await child.kill();
    const killedAt = Date.now();
    const takeover = await stack.startService('executor');

    const completed = await events.next((e) => e.metricId === metricId && e.type === 'completed', 15_000);
    expect(completed.executionId).not.toBe(started.executionId);
    expect(await store.getExecution(completed.executionId)).toMatchObject({ status: 'completed', result: { value: 'taken over' } });
    expect(takeover.get(ExecutorStats).snapshot().ran).toBe(1);

    const abandoned = await expectEventually(async () => {
      const row = await store.getExecution(started.executionId);
      expect(row).toMatchObject({ status: 'failed', failureKind: 'abandoned' });
      return row!;
    });
    expect(abandoned.error).toMatch(/^abandoned: worker .+ stopped renewing its lease/);
    // it stopped counting as running within lease TTL + reaper interval of the crash (plus scheduling slack)
    expect(abandoned.completedAt!.getTime() - killedAt).toBeLessThanOrEqual(LEASE_TTL_MS + REAPER_INTERVAL_MS + 1000);
    expect(await store.getRunningExecution(metricId)).toBeNull();
    events.stop();
  });
});
