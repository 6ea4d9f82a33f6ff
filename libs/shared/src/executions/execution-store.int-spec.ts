import { createTestDatabase, type TestDatabase } from '../../../../test/support/database';
import { Factories } from '../../../../test/support/factories';
import { ExecutionStore } from './execution-store';
import { isExecutionStoreError } from './execution-store.errors';

describe('ExecutionStore (real PostgreSQL)', () => {
  let db: TestDatabase;
  let store: ExecutionStore;
  let factories: Factories;
  const trigger = { triggeredBy: 'user', reason: 'manual' } as const;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new ExecutionStore(db.dataSource);
    factories = new Factories(db.dataSource);
  });
  afterAll(() => db.drop());

  it('walks pending → running → completed and keeps the result', async () => {
    const metricId = await factories.metric();
    const created = await store.createExecution(metricId, { ...trigger, workerId: 'w1' });
    expect(created).toMatchObject({ metricId, status: 'pending', startedAt: null, completedAt: null, triggeredBy: 'user', reason: 'manual' });
    const running = await store.markRunning(created.id, 'w1');
    expect(running.status).toBe('running');
    expect(running.startedAt).toBeInstanceOf(Date);
    const done = await store.completeExecution(created.id, { value: 7 });
    expect(done).toMatchObject({ status: 'completed', result: { value: 7 }, error: null });
    expect(done.durationMs).toBeGreaterThanOrEqual(0);
    expect((await store.getLatestExecution(metricId))?.id).toBe(created.id);
  });

  it('refuses to complete an execution that is not running', async () => {
    const metricId = await factories.metric();
    const pending = await store.createExecution(metricId, trigger);
    await expect(store.completeExecution(pending.id, { value: 1 })).rejects.toMatchObject({ code: 'invalid_transition' });
    expect((await store.getExecution(pending.id))?.status).toBe('pending');
  });

  it('never changes a finished execution again', async () => {
    const metricId = await factories.metric();
    const e = await store.createExecution(metricId, trigger);
    await store.markRunning(e.id);
    await store.completeExecution(e.id, { value: 1 });
    await expect(store.failExecution(e.id, 'late failure')).rejects.toMatchObject({ code: 'invalid_transition' });
    await expect(store.completeExecution(e.id, { value: 2 })).rejects.toMatchObject({ code: 'invalid_transition' });
    await expect(store.markRunning(e.id)).rejects.toMatchObject({ code: 'invalid_transition' });
    expect(await store.getExecution(e.id)).toMatchObject({ status: 'completed', result: { value: 1 } });
  });

  it('reports unknown executions and metrics with typed errors', async () => {
    await expect(store.markRunning('00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({ code: 'execution_not_found' });
    await expect(store.createExecution('00000000-0000-4000-8000-000000000000', trigger)).rejects.toMatchObject({ code: 'metric_not_found' });
  });

  it('lets a pending execution fail, and a failure never replaces the latest completed result', async () => {
    const metricId = await factories.metric();
    const ok = await store.createExecution(metricId, trigger);
    await store.markRunning(ok.id);
    await store.completeExecution(ok.id, { value: 10 });
    const bad = await store.createExecution(metricId, trigger);
    await store.markRunning(bad.id);
    const failed = await store.failExecution(bad.id, 'connection refused');
    expect(failed).toMatchObject({ status: 'failed', error: 'connection refused' });
    expect((await store.getLatestExecution(metricId))?.id).toBe(ok.id);
    expect((await store.getLatestFailure(metricId, ok.completedAt))?.id).toBe(bad.id);
    expect((await store.getLatestFinished(metricId))?.id).toBe(bad.id);
    const pending = await store.createExecution(metricId, trigger);
    expect((await store.failExecution(pending.id, 'abandoned')).status).toBe('failed');
  });

  it('tracks the failure streak on the metric and resets it on success', async () => {
    const metricId = await factories.metric();
    const streak = async () => (await db.dataSource.query(`SELECT consecutive_failures FROM metrics WHERE id = $1`, [metricId]))[0].consecutive_failures;
    for (let i = 0; i < 2; i++) {
      const e = await store.createExecution(metricId, trigger);
      await store.markRunning(e.id);
      await store.failExecution(e.id, 'boom');
    }
    expect(await streak()).toBe(2);
    const e = await store.createExecution(metricId, trigger);
    await store.markRunning(e.id);
    await store.completeExecution(e.id, { value: 1 });
    expect(await streak()).toBe(0);
  });

  it('refuses a second running execution of one metric, even under concurrency', async () => {
    const metricId = await factories.metric();
    const executions = await Promise.all(Array.from({ length: 10 }, () => store.createExecution(metricId, trigger)));
    const outcomes = await Promise.allSettled(executions.map((e) => store.markRunning(e.id)));
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(9);
    for (const o of lost) expect(isExecutionStoreError(o.reason, 'already_running')).toBe(true);
    const running = await store.getRunningExecution(metricId);
    expect(running?.id).toBe((won[0] as PromiseFulfilledResult<{ id: string }>).value.id);
  });

  it('lets exactly one of concurrent completers and failers win', async () => {
    const metricId = await factories.metric();
    const e = await store.createExecution(metricId, trigger);
    await store.markRunning(e.id);
    const outcomes = await Promise.allSettled([
      store.completeExecution(e.id, { value: 1 }),
      store.failExecution(e.id, 'timed out'),
      store.completeExecution(e.id, { value: 2 }),
      store.failExecution(e.id, 'lease lost'),
    ]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const o of outcomes) if (o.status === 'rejected') expect(isExecutionStoreError(o.reason, 'invalid_transition')).toBe(true);
  });

  it('reads latest completed and newer failure for many metrics in one query', async () => {
    const [a, b, c] = [await factories.metric(), await factories.metric(), await factories.metric()];
    const run = async (metricId: string, outcome: 'ok' | 'fail') => {
      const e = await store.createExecution(metricId, trigger);
      await store.markRunning(e.id);
      return outcome === 'ok' ? store.completeExecution(e.id, { value: metricId }) : store.failExecution(e.id, 'nope');
    };
    const aFail = await run(a, 'fail');
    const aOk = await run(a, 'ok');
    const bOk = await run(b, 'ok');
    const bFail = await run(b, 'fail');
    const latest = await store.getLatestForMetrics([a, b, c]);
    expect(latest.get(a)).toMatchObject({ completed: { id: aOk.id, result: { value: a } }, failure: null });
    expect(aFail.status).toBe('failed');
    expect(latest.get(b)).toMatchObject({ completed: { id: bOk.id }, failure: { id: bFail.id, error: 'nope' } });
    expect(latest.get(c)).toEqual({ metricId: c, completed: null, failure: null });
  });

  it('reads latest outcomes without results, the newest failure whatever its age, and honours hand edits', async () => {
    const [a, b, c] = [await factories.metric(), await factories.metric(), await factories.metric()];
    const run = async (metricId: string, outcome: 'ok' | 'fail') => {
      const e = await store.createExecution(metricId, trigger);
      await store.markRunning(e.id);
      return outcome === 'ok' ? store.completeExecution(e.id, { value: 42 }) : store.failExecution(e.id, 'nope');
    };
    const aFail = await run(a, 'fail');
    const aOk = await run(a, 'ok');
    const bOk = await run(b, 'ok');
    const bFail = await run(b, 'fail');
    const latest = await store.getLatestOutcomes([a, b, c]);
    // unlike getLatestForMetrics, a failure older than the completed result is still reported
    expect(latest.get(a)).toMatchObject({ completed: { id: aOk.id, result: null }, failure: { id: aFail.id, error: 'nope' } });
    expect(latest.get(b)).toMatchObject({ completed: { id: bOk.id, status: 'completed' }, failure: { id: bFail.id } });
    expect(latest.get(b)?.completed?.completedAt).toBeInstanceOf(Date);
    expect(latest.get(c)).toEqual({ metricId: c, completed: null, failure: null });

    // an operator moves a result back in time: the read sees it, and the older one is no longer the latest
    const older = await run(a, 'ok');
    await db.dataSource.query(`UPDATE metric_executions SET completed_at = now() - interval '2 hours' WHERE id = $1`, [older.id]);
    const edited = (await store.getLatestOutcomes([a])).get(a)!;
    expect(edited.completed?.id).toBe(aOk.id);
    await db.dataSource.query(`UPDATE metric_executions SET completed_at = now() - interval '3 hours' WHERE id = $1`, [aOk.id]);
    const again = (await store.getLatestOutcomes([a])).get(a)!;
    expect(again.completed?.id).toBe(older.id);
    expect(Date.now() - again.completed!.completedAt!.getTime()).toBeGreaterThan(7_100_000);
  });

  it('starts an execution directly as running, with the same guards', async () => {
    const metricId = await factories.metric();
    const id = '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b';
    const started = await store.startExecution(metricId, { ...trigger, id, workerId: 'w9' });
    expect(started).toMatchObject({ id, metricId, status: 'running', workerId: 'w9' });
    expect(started.startedAt).toBeInstanceOf(Date);
    await expect(store.startExecution(metricId, trigger)).rejects.toMatchObject({ code: 'already_running' });
    await expect(store.startExecution('00000000-0000-4000-8000-000000000000', trigger)).rejects.toMatchObject({ code: 'metric_not_found' });
    const failed = await store.failExecution(id, 'lease lost', 'lease_lost');
    expect(failed).toMatchObject({ status: 'failed', failureKind: 'lease_lost' });
  });

  it('starts and completes many executions per statement, answering each item on its own', async () => {
    const [a, b, c] = [await factories.metric(), await factories.metric(), await factories.metric()];
    const ids = ['0a0a0a0a-0000-4000-8000-00000000000a', '0b0b0b0b-0000-4000-8000-00000000000b', '0c0c0c0c-0000-4000-8000-00000000000c'];
    const started = await store.startExecutions([
      { metricId: a, trigger: { ...trigger, id: ids[0], workerId: 'w' } },
      { metricId: b, trigger: { ...trigger, id: ids[1], workerId: 'w' } },
    ]);
    expect(started.map((r) => ('status' in r ? r.status : r.code))).toEqual(['running', 'running']);
    // one item refused (already running) makes the batch fall back to item-by-item answers
    const mixed = await store.startExecutions([
      { metricId: a, trigger: { ...trigger, id: '0d0d0d0d-0000-4000-8000-00000000000d' } },
      { metricId: c, trigger: { ...trigger, id: ids[2] } },
    ]);
    expect(mixed[0]).toMatchObject({ code: 'already_running' });
    expect(mixed[1]).toMatchObject({ id: ids[2], status: 'running' });
    const done = await store.completeExecutions([
      { id: ids[0], result: { value: 1 } },
      { id: ids[1], result: { value: 2 } },
      { id: '0e0e0e0e-0000-4000-8000-00000000000e', result: null },
    ]);
    expect(done[0]).toMatchObject({ id: ids[0], status: 'completed', result: { value: 1 } });
    expect(done[1]).toMatchObject({ id: ids[1], status: 'completed' });
    expect(done[2]).toMatchObject({ code: 'execution_not_found' });
    expect((await store.getExecution(ids[1]))?.result).toEqual({ value: 2 });
    expect(await store.completeExecutions([{ id: ids[0], result: 3 }])).toMatchObject([{ code: 'invalid_transition' }]);
  });

  it('lists executions newest first with a limit', async () => {
    const metricId = await factories.metric();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await store.createExecution(metricId, { ...trigger, requestedAt: new Date(Date.now() + i * 1000) })).id);
    expect((await store.listExecutions(metricId, 2)).map((e) => e.id)).toEqual([ids[2], ids[1]]);
  });
});
