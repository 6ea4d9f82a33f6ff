import { randomUUID } from 'node:crypto';
import { Kvm } from '@nats-io/kv';
import { type FreshnessReply, type LatestRecord, latestRecordSchema, readReply, ServiceError } from '@assemblr/shared';
import { expectEventually } from '../../../../test/support/expect-eventually';
import { collectEvents, publishRunRequest, runRequest } from '../../../../test/support/run-requests';
import { TestStack } from '../../../../test/support/stack';

describe('metrics.freshness (real NATS + Postgres)', () => {
  let stack: TestStack;
  const policy = { ttlSeconds: 300, maxStalenessSeconds: 3600 };

  beforeAll(async () => {
    stack = await TestStack.start({ services: ['executor'] });
  });
  afterAll(() => stack.close());

  /** A finished execution written by hand, `secondsAgo` in the past (as an operator or an older run would). */
  async function execution(metricId: string, status: 'completed' | 'failed', secondsAgo: number): Promise<string> {
    const rows: { id: string }[] = await stack.db.dataSource.query(
      `INSERT INTO metric_executions (metric_id, status, triggered_by, reason, requested_at, started_at, completed_at, result, error, failure_kind)
       VALUES ($1, $2, 'system', 'schedule', now() - make_interval(secs => $3 + 1), now() - make_interval(secs => $3 + 1), now() - make_interval(secs => $3),
               $4, $5, $6) RETURNING id`,
      [metricId, status, secondsAgo, status === 'completed' ? '{"value": 1}' : null, status === 'failed' ? 'source down' : null, status === 'failed' ? 'error' : null],
    );
    return rows[0].id;
  }

  const latestEntry = async (metricId: string): Promise<LatestRecord | null> => {
    const entry = await (await new Kvm(stack.nc).open(stack.names.latestBucket)).get(metricId);
    return entry && entry.operation === 'PUT' ? latestRecordSchema.parse(entry.json()) : null;
  };

  const ask = async (body: unknown): Promise<FreshnessReply> =>
    readReply<FreshnessReply>(await stack.nc.request(stack.names.freshness, JSON.stringify(body), { timeout: 5000 }));

  it('answers fresh, stale, expired, missing and unknown, with the newer failure as lastError', async () => {
    const fresh = await stack.factories.metric({ policy });
    const freshRun = await execution(fresh, 'completed', 10);
    const stale = await stack.factories.metric({ policy });
    await execution(stale, 'completed', 600);
    const failedAfter = await execution(stale, 'failed', 60);
    const expired = await stack.factories.metric({ policy });
    await execution(expired, 'completed', 7200);
    const missing = await stack.factories.metric({ policy });
    const unknown = randomUUID();

    const reply = await ask({ metricIds: [fresh, stale, expired, missing, unknown] });
    expect(reply.metrics.map((m) => [m.metricId, m.state])).toEqual([
      [fresh, 'fresh'],
      [stale, 'stale'],
      [expired, 'expired'],
      [missing, 'missing'],
      [unknown, 'unknown'],
    ]);
    expect(reply.metrics[0]).toMatchObject({ executionId: freshRun, running: false, lastError: null });
    expect(reply.metrics[0].ageSeconds).toBeGreaterThanOrEqual(10);
    expect(reply.metrics[0].ageSeconds).toBeLessThan(20);
    expect(reply.metrics[1].lastError).toMatchObject({ executionId: failedAfter, message: 'source down' });
    expect(reply.metrics[3]).toMatchObject({ executionId: null, computedAt: null, ageSeconds: null });

    // the read model was filled from Postgres on the way (in the background), never for an unknown metric
    await expectEventually(async () => expect((await latestEntry(fresh))?.completed?.executionId).toBe(freshRun));
    expect(await latestEntry(unknown)).toBeNull();
  });

  it('honours an operator hand-editing completed_at, and repairs the read model to match', async () => {
    const metricId = await stack.factories.metric({ policy });
    const events = collectEvents(stack.nc, stack.names);
    await publishRunRequest(stack.nc, stack.names, runRequest(metricId));
    const completed = await events.next((e) => e.metricId === metricId && e.type === 'completed');
    events.stop();
    expect((await ask({ metricIds: [metricId] })).metrics[0]).toMatchObject({ state: 'fresh', executionId: completed.executionId });
    await expectEventually(async () => expect((await latestEntry(metricId))?.completed?.executionId).toBe(completed.executionId));

    const edit = (interval: string) =>
      stack.db.dataSource.query(`UPDATE metric_executions SET completed_at = now() - $2::interval WHERE id = $1`, [completed.executionId, interval]);
    await edit('10 minutes');
    const stale = (await ask({ metricIds: [metricId] })).metrics[0];
    expect(stale).toMatchObject({ state: 'stale', executionId: completed.executionId });
    expect(stale.ageSeconds).toBeGreaterThanOrEqual(600);
    await edit('2 hours');
    expect((await ask({ metricIds: [metricId] })).metrics[0]).toMatchObject({ state: 'expired', executionId: completed.executionId });
    await expectEventually(async () => {
      const entry = await latestEntry(metricId);
      expect(Date.now() - Date.parse(entry!.completed!.completedAt)).toBeGreaterThan(7_000_000);
    });
  });

  it('says when a run is in progress', async () => {
    const metricId = await stack.factories.metric({ policy, definition: { value: 1, delayMs: 1500 } });
    const events = collectEvents(stack.nc, stack.names);
    await publishRunRequest(stack.nc, stack.names, runRequest(metricId));
    await events.next((e) => e.metricId === metricId && e.type === 'started');
    expect((await ask({ metricIds: [metricId] })).metrics[0]).toMatchObject({ state: 'missing', running: true });
    const completed = await events.next((e) => e.metricId === metricId && e.type === 'completed');
    events.stop();
    expect((await ask({ metricIds: [metricId] })).metrics[0]).toMatchObject({ state: 'fresh', running: false, executionId: completed.executionId });
  });

  it('answers an invalid request with invalid_request naming the field', async () => {
    const error = await ask({ metricIds: ['not-a-uuid'] }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ServiceError);
    expect(error).toMatchObject({ code: 'invalid_request', errors: [{ path: 'metricIds.0', message: 'must be a UUID' }] });
    await expect(ask({ metricIds: [] })).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(stack.nc.request(stack.names.freshness, 'garbage', { timeout: 5000 }).then(readReply)).rejects.toMatchObject({ code: 'invalid_request' });
  });
});
