// npm run bench:executor — end-to-end executor throughput on trivial `demo` metrics over 1,000 metric ids,
// next to the raw JetStream publish+consume and raw Postgres insert+update+update rates measured in the
// same run. Prints figures and ratios; asserts nothing. Own database and NATS prefix, cleaned up after.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { AckPolicy, jetstream, jetstreamManager, RetentionPolicy } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { connectNats, deleteNatsResources, metricEventSchema, natsNames, type NatsNames, runMigrations } from '@assemblr/shared';
import pg from 'pg';

const METRICS = Number(process.env.BENCH_METRICS ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const RAW_MESSAGES = Number(process.env.BENCH_RAW_MESSAGES ?? 5000);
const RAW_EXECUTIONS = Number(process.env.BENCH_RAW_EXECUTIONS ?? 2000);
const IN_FLIGHT = 256;
const POOL_SIZE = Number(process.env.DATABASE_POOL_SIZE ?? 10);
const BASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

const dbUrl = (name: string) => Object.assign(new URL(BASE_URL), { pathname: `/${name}` }).toString();
const rate = (n: number, ms: number) => (n * 1000) / ms;
const fmt = (n: number) => `${Math.round(n).toLocaleString('en-US')}/s`;

/** Runs `fn` for each index with at most `limit` at once. */
async function pooled(count: number, limit: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, count) }, async () => {
    while (next < count) await fn(next++);
  }));
}

async function rawJetStream(nc: NatsConnection, names: NatsNames): Promise<number> {
  const jsm = await jetstreamManager(nc);
  const stream = `${names.prefix}_RAW`;
  await jsm.streams.delete(stream).catch(() => undefined);
  await jsm.streams.add({ name: stream, subjects: [`${names.prefix}.raw.>`], retention: RetentionPolicy.Workqueue });
  await jsm.consumers.add(stream, { durable_name: 'raw', ack_policy: AckPolicy.Explicit });
  const js = jetstream(nc);
  const consumer = await js.consumers.get(stream, 'raw');
  const started = performance.now();
  const consumed = (async () => {
    let seen = 0;
    const messages = await consumer.consume({ max_messages: IN_FLIGHT });
    for await (const m of messages) {
      m.ack();
      if (++seen === RAW_MESSAGES) break;
    }
  })();
  await pooled(RAW_MESSAGES, IN_FLIGHT, (i) => js.publish(`${names.prefix}.raw.${i % METRICS}`, JSON.stringify({ i, requestedAt: new Date().toISOString() })));
  await consumed;
  const elapsed = performance.now() - started;
  await jsm.streams.delete(stream);
  return rate(RAW_MESSAGES, elapsed);
}

async function rawPostgres(pool: pg.Pool, metricIds: string[]): Promise<number> {
  const started = performance.now();
  await pooled(RAW_EXECUTIONS, POOL_SIZE * 2, async (i) => {
    const { rows } = await pool.query({
      name: 'raw-insert',
      text: `INSERT INTO metric_executions (metric_id, status, triggered_by, reason) VALUES ($1, 'pending', 'user', 'manual') RETURNING id`,
      values: [metricIds[i % metricIds.length]],
    });
    const id = rows[0].id as string;
    await pool.query({ name: 'raw-running', text: `UPDATE metric_executions SET status = 'running', started_at = now() WHERE id = $1 AND status = 'pending'`, values: [id] });
    await pool.query({
      name: 'raw-done',
      text: `UPDATE metric_executions SET status = 'completed', completed_at = now(), result = $2::jsonb WHERE id = $1 AND status = 'running'`,
      values: [id, '{"value":1}'],
    });
  });
  const elapsed = performance.now() - started;
  await pool.query(`DELETE FROM metric_executions WHERE worker_id IS NULL`);
  return rate(RAW_EXECUTIONS, elapsed);
}

function startExecutor(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(__dirname, '../apps/executor/src/main.js')], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('executor started')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`executor exited with ${code}`)));
  });
}

/** Publishes one request per metric and waits for every `completed` event; runs/s end to end. */
async function endToEnd(nc: NatsConnection, names: NatsNames, pool: pg.Pool, metricIds: string[]): Promise<number> {
  const pending = new Set(metricIds);
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  const sub = nc.subscribe(names.eventsWildcard, {
    callback: (_err, msg) => {
      const event = metricEventSchema.safeParse(msg.json());
      if (event.success && event.data.type === 'completed' && pending.delete(event.data.metricId) && pending.size === 0) resolveDone();
    },
  });
  const before = Number((await pool.query(`SELECT count(*) AS n FROM metric_executions WHERE status = 'completed'`)).rows[0].n);
  const js = jetstream(nc);
  const started = performance.now();
  await pooled(metricIds.length, IN_FLIGHT, (i) =>
    js.publish(names.runSubject(metricIds[i]), JSON.stringify({ requestId: randomUUID(), metricId: metricIds[i], triggeredBy: 'user', reason: 'manual', requestedAt: new Date().toISOString() })),
  );
  await done;
  const elapsed = performance.now() - started;
  sub.unsubscribe();
  const after = Number((await pool.query(`SELECT count(*) AS n FROM metric_executions WHERE status = 'completed'`)).rows[0].n);
  if (after - before !== metricIds.length) throw new Error(`expected ${metricIds.length} new completed executions, found ${after - before}`);
  return rate(metricIds.length, elapsed);
}

async function main(): Promise<void> {
  const dbName = `assemblr_bench_${randomBytes(4).toString('hex')}`;
  const url = dbUrl(dbName);
  const names = natsNames(`bench${randomBytes(4).toString('hex')}`);
  await runMigrations(url);
  const pool = new pg.Pool({ connectionString: url, max: POOL_SIZE });
  const nc = await connectNats(NATS_URL, 'assemblr-bench');
  let executor: ChildProcess | undefined;
  try {
    const { rows: [source] } = await pool.query(`INSERT INTO data_sources (name, kind, config) VALUES ('bench', 'demo', '{}') RETURNING id`);
    const { rows } = await pool.query(
      `INSERT INTO metrics (name, data_source_id, definition, execution_policy)
       SELECT 'bench ' || g, $1, '{"value": 1}', '{"mode":"on_demand","schedule":null,"ttlSeconds":300,"maxStalenessSeconds":3600,"onExpired":"block"}'
         FROM generate_series(1, $2) g RETURNING id`,
      [source.id, METRICS],
    );
    const metricIds = rows.map((r: { id: string }) => r.id);

    executor = await startExecutor({ DATABASE_URL: url, NATS_URL, ASSEMBLR_NATS_PREFIX: names.prefix, LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' });
    await endToEnd(nc, names, pool, metricIds); // warm-up: JIT, pools, prepared statements
    // The machine is shared: measure the three paths back to back in every round and compare within a round.
    const rounds: { js: number; db: number; e2e: number }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const js = await rawJetStream(nc, names);
      const db = await rawPostgres(pool, metricIds);
      const e2e = await endToEnd(nc, names, pool, metricIds);
      rounds.push({ js, db, e2e });
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const ratios = rounds.map((r) => r.e2e / Math.min(r.js, r.db));
    console.log(`executor benchmark: ${METRICS} demo metrics, ${ROUNDS} measured rounds after a warm-up, pool ${POOL_SIZE}`);
    console.log(`  raw JetStream publish+consume+ack   ${fmt(median(rounds.map((r) => r.js)))}  (${RAW_MESSAGES} msgs, ${IN_FLIGHT} in flight; median)`);
    console.log(`  raw Postgres insert+update+update   ${fmt(median(rounds.map((r) => r.db)))}  (${RAW_EXECUTIONS} executions, named statements; median)`);
    console.log(`  executor end to end                 ${fmt(median(rounds.map((r) => r.e2e)))}  (request published → completed in Postgres and event seen; median)`);
    for (const [i, r] of rounds.entries()) {
      console.log(`    round ${i + 1}: JetStream ${fmt(r.js)}, Postgres ${fmt(r.db)}, executor ${fmt(r.e2e)} → ratio ${ratios[i].toFixed(2)}`);
    }
    console.log(`  ratio to the slower raw path: ${median(ratios).toFixed(2)} (median of rounds; target ≥ 0.5)`);
  } finally {
    if (executor && executor.exitCode === null) {
      const exited = new Promise((resolve) => executor!.once('exit', resolve));
      executor.kill('SIGTERM');
      await exited;
    }
    await deleteNatsResources(nc, names).catch(() => undefined);
    await nc.drain();
    await pool.end();
    const admin = new pg.Client({ connectionString: dbUrl('postgres') });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
