import type { INestApplicationContext } from '@nestjs/common';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import pino from 'pino';
import {
  DEFAULT_EXECUTION_POLICY,
  ensureRunStream,
  type ExecutionPolicy,
  ManualClock,
  readReply,
  runRequestSchema,
  scheduleNextRunAt,
  ServiceError,
  type SweepReply,
} from '@assemblr/shared';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database';
import { createTestNats, type TestNats } from '../../../../test/support/nats';
import { createSchedulerApp } from '../scheduler.app';
import { loadSchedulerConfig } from '../scheduler.config';
import { SchedulingService } from './scheduling.service';

const T0 = '2026-11-27T10:00:00.000Z';
const scheduled = (cron: string, overrides: Partial<ExecutionPolicy> = {}): ExecutionPolicy => ({
  ...DEFAULT_EXECUTION_POLICY,
  mode: 'scheduled',
  schedule: { cron, timezone: 'Europe/Berlin' },
  ...overrides,
});

describe('scheduler sweeps (Postgres + JetStream)', () => {
  let db: TestDatabase;
  let nats: TestNats;
  let jsm: JetStreamManager;
  let dataSourceId: string;
  const apps: INestApplicationContext[] = [];
  const clock = new ManualClock(T0);

  const startScheduler = async (env: Record<string, string> = {}) => {
    const config = loadSchedulerConfig({
      DATABASE_URL: db.url,
      ASSEMBLR_NATS_PREFIX: nats.names.prefix,
      SCHEDULER_SWEEP_INTERVAL_MS: '0',
      SCHEDULER_BATCH_SIZE: '50',
      DATABASE_POOL_SIZE: '4',
      ...env,
    });
    const app = await createSchedulerApp(config, pino({ level: 'silent' }), clock);
    apps.push(app);
    return app.get(SchedulingService);
  };

  const insertMetrics = async (count: number, policy: ExecutionPolicy, nextRunAt: string | null): Promise<string[]> => {
    const rows: { id: string }[] = await db.dataSource.query(
      `INSERT INTO metrics (name, data_source_id, definition, execution_policy, next_run_at)
       SELECT 'm' || i, $1, '{"value": 1}'::jsonb, $2::jsonb, $3 FROM generate_series(1, $4) AS i RETURNING id`,
      [dataSourceId, JSON.stringify(policy), nextRunAt, count],
    );
    return rows.map((r) => r.id);
  };

  /** Messages per subject in the run stream (each request is one message on `metrics.run.<id>`). */
  const requestsPerMetric = async (): Promise<Map<string, number>> => {
    const info = await jsm.streams.info(nats.names.runStream, { subjects_filter: '>' });
    const counts = new Map<string, number>();
    for (const [subject, n] of Object.entries(info.state.subjects ?? {})) counts.set(subject.slice(nats.names.runSubject('').length), n);
    return counts;
  };

  const nextRunAt = async (id: string): Promise<string | null> => {
    const [row] = await db.dataSource.query(`SELECT next_run_at FROM metrics WHERE id = $1`, [id]);
    return row.next_run_at ? new Date(row.next_run_at).toISOString() : null;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    nats = await createTestNats();
    jsm = await jetstreamManager(nats.nc);
    const [row] = await db.dataSource.query(`INSERT INTO data_sources (name, kind, config) VALUES ('demo', 'demo', '{}') RETURNING id`);
    dataSourceId = row.id;
  });

  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
    await db.dataSource.query(`DELETE FROM metrics`);
    await jsm.streams.purge(nats.names.runStream).catch(() => undefined);
    clock.set(T0);
  });

  afterAll(async () => {
    await nats.cleanup();
    await db.drop();
  });

  it('three replicas sweeping at once request each of 1,000 due metrics exactly once for the slot', async () => {
    const ids = await insertMetrics(1000, scheduled('*/5 * * * *'), '2026-11-27T09:59:00Z');
    const replicas = [await startScheduler(), await startScheduler(), await startScheduler()];
    clock.set('2026-11-27T10:02:00Z');

    const replies = await Promise.all(replicas.map((r) => r.sweep()));

    expect(replies.reduce((n, r) => n + r.checked, 0)).toBe(1000);
    expect(replies.filter((r) => r.checked > 0).length).toBeGreaterThan(1); // SKIP LOCKED split the rows
    expect(replies.reduce((n, r) => n + r.triggered, 0)).toBe(1000);
    const triggered = replies.flatMap((r) => r.triggeredMetricIds);
    expect(new Set(triggered).size).toBe(1000);
    expect(new Set(triggered)).toEqual(new Set(ids));
    const counts = await requestsPerMetric();
    expect(counts.size).toBe(1000);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    // every row now waits for the next slot (10:05 Berlin-time cron = 10:05Z)
    const [{ n }] = await db.dataSource.query(`SELECT count(*)::int AS n FROM metrics WHERE next_run_at = '2026-11-27T10:05:00Z'`);
    expect(n).toBe(1000);

    // sweeping again at once finds nothing due
    const again = await Promise.all(replicas.map((r) => r.sweep()));
    expect(again.map((r) => r.checked)).toEqual([0, 0, 0]);
    expect((await jsm.streams.info(nats.names.runStream)).state.messages).toBe(1000);
  });

  it('rolls a batch back when its publishes fail, and counts a request the stream already held as already_requested', async () => {
    const ids = await insertMetrics(3, scheduled('*/5 * * * *'), '2026-11-27T09:59:00Z');
    const scheduler = await startScheduler({ SCHEDULER_PUBLISH_CONCURRENCY: '2' });
    clock.set('2026-11-27T10:02:00Z');
    await jsm.streams.delete(nats.names.runStream);

    await expect(scheduler.sweep()).rejects.toMatchObject({ name: 'PubAckError', code: 503 });
    for (const id of ids) expect(await nextRunAt(id)).toBe('2026-11-27T09:59:00.000Z'); // still due

    // one slot request landed before (e.g. by a replica whose commit failed): the retry does not double it
    await ensureRunStream(jsm, nats.names);
    const landed = await scheduler.sweep();
    expect(landed.triggered).toBe(3);
    await db.dataSource.query(`UPDATE metrics SET next_run_at = '2026-11-27T09:59:00Z' WHERE id = $1`, [ids[0]]);
    await expect(scheduler.sweep()).resolves.toMatchObject({ checked: 1, triggered: 0, skipped: 1, triggeredMetricIds: [] });
    expect([...(await requestsPerMetric()).values()]).toEqual([1, 1, 1]);
  });

  it('publishes a valid schedule request whose message id names the slot, not the jittered time', async () => {
    const [id] = await insertMetrics(1, scheduled('*/5 * * * *'), '2026-11-27T10:05:00Z');
    const scheduler = await startScheduler({ SCHEDULER_MAX_JITTER_MS: '240000' });
    clock.set('2026-11-27T10:05:00Z');
    await expect(scheduler.sweep()).resolves.toMatchObject({ triggered: 1, triggeredMetricIds: [id] });

    const msg = await jsm.streams.getMessage(nats.names.runStream, { last_by_subj: nats.names.runSubject(id) });
    expect(msg?.header.get('Nats-Msg-Id')).toBe(`${id}:2026-11-27T10:05:00.000Z`);
    const request = runRequestSchema.parse(msg?.json());
    expect(request).toMatchObject({ metricId: id, triggeredBy: 'system', reason: 'schedule', slot: '2026-11-27T10:05:00.000Z' });
    // the next look is jittered inside the 10:10 slot
    const next = new Date((await nextRunAt(id))!).getTime();
    expect(next).toBeGreaterThanOrEqual(Date.parse('2026-11-27T10:10:00Z'));
    expect(next).toBeLessThan(Date.parse('2026-11-27T10:14:00Z'));
  });

  it('runs slots missed during downtime once, then the next slot when it comes', async () => {
    const [id] = await insertMetrics(1, scheduled('* * * * *'), '2026-11-27T10:01:00Z');
    const scheduler = await startScheduler();
    clock.set('2026-11-27T10:47:30Z'); // 46 missed minutes

    await expect(scheduler.sweep()).resolves.toMatchObject({ checked: 1, triggered: 1 });
    await expect(scheduler.sweep()).resolves.toMatchObject({ checked: 0, triggered: 0 });
    expect((await requestsPerMetric()).get(id)).toBe(1);
    expect(await nextRunAt(id)).toBe('2026-11-27T10:48:00.000Z');

    clock.set('2026-11-27T10:48:00Z');
    await expect(scheduler.sweep()).resolves.toMatchObject({ triggered: 1 });
    expect((await requestsPerMetric()).get(id)).toBe(2);
  });

  it('skips metrics that are running, leased, fresh for the slot or backing off, and advances them', async () => {
    const [running, leased, fresh, failing, due, released] = await insertMetrics(6, scheduled('*/5 * * * *'), '2026-11-27T10:05:00Z');
    await db.dataSource.query(
      `INSERT INTO metric_executions (metric_id, status, triggered_by, reason, started_at, completed_at) VALUES
         ($1, 'running', 'user', 'manual', '2026-11-27T10:04:00Z', NULL),
         ($2, 'completed', 'user', 'manual', '2026-11-27T10:05:01Z', '2026-11-27T10:05:02Z'),
         ($3, 'failed', 'system', 'schedule', '2026-11-27T10:04:00Z', '2026-11-27T10:04:30Z')`,
      [running, fresh, failing],
    );
    await db.dataSource.query(`UPDATE metrics SET consecutive_failures = 4 WHERE id = $1`, [failing]);
    const leases = await new Kvm(nats.nc).create(nats.names.leasesBucket, { ttl: 30_000, history: 1 });
    await leases.create(leased, 'executor-1');
    await leases.create(released, 'executor-2');
    await leases.delete(released); // a release marker is not a held lease
    const scheduler = await startScheduler();
    clock.set('2026-11-27T10:05:10Z');

    const reply = await scheduler.sweep();

    expect(reply).toMatchObject({ checked: 6, triggered: 2, skipped: 4 });
    expect(new Set(reply.triggeredMetricIds)).toEqual(new Set([due, released]));
    expect(new Set((await requestsPerMetric()).keys())).toEqual(new Set([due, released]));
    for (const id of [running, leased, fresh]) expect(await nextRunAt(id)).toBe('2026-11-27T10:10:00.000Z');
    // 4 failures → 8 min after 10:04:30 → first slot at or after 10:12:30
    expect(await nextRunAt(failing)).toBe('2026-11-27T10:15:00.000Z');
  });

  it('follows schedule changes, hand edits to on_demand and deletes', async () => {
    const [changed, handEdited, deleted] = await insertMetrics(3, scheduled('*/5 * * * *'), '2026-11-27T10:05:00Z');
    const scheduler = await startScheduler();
    // the gateway's write path: new policy and its next_run_at in one update
    const hourly = scheduled('30 * * * *');
    const recomputed = scheduleNextRunAt(hourly, clock.now(), { metricId: changed, neverRun: false });
    await db.dataSource.query(`UPDATE metrics SET execution_policy = $2, next_run_at = $3 WHERE id = $1`, [changed, JSON.stringify(hourly), recomputed]);
    // an operator's hand edit that leaves next_run_at behind
    await db.dataSource.query(`UPDATE metrics SET execution_policy = $2 WHERE id = $1`, [handEdited, JSON.stringify(DEFAULT_EXECUTION_POLICY)]);
    await db.dataSource.query(`DELETE FROM metrics WHERE id = $1`, [deleted]);

    clock.set('2026-11-27T10:05:00Z');
    await expect(scheduler.sweep()).resolves.toEqual({ checked: 1, triggered: 0, skipped: 1, triggeredMetricIds: [] });
    expect(await nextRunAt(handEdited)).toBeNull();
    expect(await nextRunAt(changed)).toBe('2026-11-27T10:30:00.000Z');

    clock.set('2026-11-27T10:30:00Z');
    await expect(scheduler.sweep()).resolves.toMatchObject({ checked: 1, triggered: 1, triggeredMetricIds: [changed] });
    expect([...(await requestsPerMetric()).keys()]).toEqual([changed]);
  });

  it('puts a metric that a hand edit made scheduled (next_run_at NULL) on the schedule at its next slot', async () => {
    const [edited] = await insertMetrics(1, DEFAULT_EXECUTION_POLICY, null);
    const [broken] = await insertMetrics(1, { ...scheduled('*/5 * * * *'), schedule: { cron: 'every day', timezone: 'UTC' } }, null);
    const scheduler = await startScheduler();
    await db.dataSource.query(`UPDATE metrics SET execution_policy = $2 WHERE id = $1`, [edited, JSON.stringify(scheduled('*/5 * * * *'))]);

    await expect(scheduler.adoptHandScheduled()).resolves.toBe(1);
    expect(await nextRunAt(edited)).toBe('2026-11-27T10:05:00.000Z');
    expect(await nextRunAt(broken)).toBeNull();
    await expect(scheduler.adoptHandScheduled()).resolves.toBe(0);
    clock.set('2026-11-27T10:05:00Z');
    await expect(scheduler.sweep()).resolves.toMatchObject({ triggered: 1, triggeredMetricIds: [edited] });
  });

  it('scheduleMetricExecution decides for one metric', async () => {
    const [id] = await insertMetrics(1, scheduled('*/5 * * * *'), '2026-11-27T10:05:00Z');
    const scheduler = await startScheduler();
    await expect(scheduler.scheduleMetricExecution(id)).resolves.toMatchObject({ triggered: false, reason: 'not_due' });
    clock.set('2026-11-27T10:05:00Z');
    await expect(scheduler.scheduleMetricExecution(id)).resolves.toMatchObject({
      triggered: true,
      slot: new Date('2026-11-27T10:05:00Z'),
      nextRunAt: new Date('2026-11-27T10:10:00Z'),
    });
    await expect(scheduler.scheduleMetricExecution(id)).resolves.toMatchObject({ triggered: false, reason: 'not_due' });
    await expect(scheduler.scheduleMetricExecution('00000000-0000-4000-8000-000000000000')).resolves.toMatchObject({ triggered: false, reason: 'not_found' });
    expect((await requestsPerMetric()).get(id)).toBe(1);
  });

  describe('scheduler.sweep over NATS', () => {
    const ask = async (body: string | undefined) => readReply<SweepReply>(await nats.nc.request(nats.names.schedulerSweep, body, { timeout: 5000 }));

    it('sweeps up to the limit and answers the counts', async () => {
      await insertMetrics(3, scheduled('*/5 * * * *'), '2026-11-27T09:55:00Z');
      await startScheduler();
      const first = await ask(JSON.stringify({ limit: 2 }));
      expect(first).toMatchObject({ checked: 2, triggered: 2, skipped: 0 });
      expect(first.triggeredMetricIds).toHaveLength(2);
      await expect(ask(undefined)).resolves.toMatchObject({ checked: 1, triggered: 1 });
      await expect(ask('{}')).resolves.toEqual({ checked: 0, triggered: 0, skipped: 0, triggeredMetricIds: [] });
    });

    it('answers invalid requests with invalid_request naming the field', async () => {
      await startScheduler();
      const invalid = ask(JSON.stringify({ limit: 0 }));
      await expect(invalid).rejects.toBeInstanceOf(ServiceError);
      await expect(invalid).rejects.toMatchObject({ code: 'invalid_request', errors: [expect.objectContaining({ path: 'limit' })] });
      await expect(ask('{"limit":')).rejects.toMatchObject({ code: 'invalid_request', errors: [{ path: '(body)', message: 'is not valid JSON' }] });
      await expect(ask(JSON.stringify({ limit: 1, extra: true }))).rejects.toMatchObject({ code: 'invalid_request' });
    });
  });
});
