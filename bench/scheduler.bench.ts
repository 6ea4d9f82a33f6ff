// `npm run bench:scheduler`: 100,000 scheduled metrics all due in one slot. Measures the raw JetStream
// publish rate, then one scheduler replica (a child process) dispatching every request, and prints
// the dispatch rate as a ratio of the raw rate plus the replica's memory. Own database and NATS
// prefix, removed afterwards. BENCH_METRICS changes the count, BENCH_ROUNDS the rounds; other SCHEDULER_* variables pass through.
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { jetstream, type JetStreamManager, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { Client } from 'pg';
import {
  DEFAULT_EXECUTION_POLICY,
  connectNats,
  deleteNatsResources,
  ensureRunStream,
  natsNames,
  openLeaseBucket,
  type NatsNames,
  runMigrations,
} from '@assemblr/shared';
import type { SweepChildReport } from './scheduler-sweep.child';

const METRICS = Number(process.env.BENCH_METRICS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PUBLISH_CONCURRENCY = Number(process.env.SCHEDULER_PUBLISH_CONCURRENCY ?? 256);
const BASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/assemblr';
const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
// The raw baseline uses the same client setting as the replica under test.
const ASYNC_TRACES = ['true', '1'].includes(process.env.NATS_ASYNC_TRACES ?? 'false');

function dbUrl(name: string): string {
  const url = new URL(BASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: dbUrl('postgres') });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Every metric due at once, on one cron, in one INSERT. */
async function seed(url: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string }>(`INSERT INTO data_sources (name, kind) VALUES ('bench', 'demo') RETURNING id`);
    const policy = { ...DEFAULT_EXECUTION_POLICY, mode: 'scheduled', schedule: { cron: '*/5 * * * *', timezone: 'Europe/Berlin' } };
    await client.query(
      `INSERT INTO metrics (name, data_source_id, definition, execution_policy, next_run_at)
       SELECT 'bench ' || i, $1, '{"value": 1}'::jsonb, $2::jsonb, now() - interval '1 second' FROM generate_series(1, $3) AS i`,
      [rows[0].id, JSON.stringify(policy), METRICS],
    );
    await client.query('ANALYZE metrics');
  } finally {
    await client.end();
  }
}

interface RawRun {
  rate: number;
  cpuMsPerK: number;
}

/** The ceiling: the same number of run-request-sized messages, msg ids set, the same acks in flight. */
async function rawPublish(names: NatsNames): Promise<RawRun> {
  const nc = await connectNats(NATS_URL, 'bench-raw', { asyncTraces: ASYNC_TRACES });
  const js = jetstream(nc);
  const body = JSON.stringify({ requestId: randomUUID(), metricId: randomUUID(), triggeredBy: 'system', reason: 'schedule', requestedAt: new Date().toISOString(), slot: new Date().toISOString() });
  let next = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  const worker = async () => {
    while (next < METRICS) {
      const i = next++;
      const id = randomUUID();
      await js.publish(names.runSubject(id), body, { msgID: `${id}:${i}` });
    }
  };
  await Promise.all(Array.from({ length: PUBLISH_CONCURRENCY }, worker));
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  await (await jetstreamManager(nc)).streams.purge(names.runStream);
  await nc.drain();
  return { rate: METRICS / seconds, cpuMsPerK: (used.user + used.system) / METRICS };
}

/** The scheduler replica under test: a child process driven over IPC. */
class SweepChild {
  private constructor(private readonly child: ChildProcess) {}

  static async start(env: NodeJS.ProcessEnv): Promise<SweepChild> {
    const child = fork(join(__dirname, 'scheduler-sweep.child.js'), { env, execArgv: ['--expose-gc', ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : [])] });
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`sweep child exited with ${code}`)));
    });
    return new SweepChild(child);
  }

  sweep(): Promise<SweepChildReport> {
    return new Promise((resolve) => {
      this.child.once('message', (report) => resolve(report as SweepChildReport));
      this.child.send('sweep');
    });
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.send('exit');
    });
  }
}

const fmt = (n: number) => Math.round(n).toLocaleString('en');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Rounds of raw, sweep, raw, sweep, …, raw: each sweep is compared with the raw runs on either side (the machine is shared). */
async function measure(url: string, names: NatsNames, nc: NatsConnection): Promise<void> {
  const jsm = await jetstreamManager(nc);
  const child = await SweepChild.start({ ...process.env, DATABASE_URL: url, NATS_URL, ASSEMBLR_NATS_PREFIX: names.prefix, LOG_LEVEL: 'warn' });
  const ratios: number[] = [];
  let before = await rawPublish(names);
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      if (round > 1) await rearm(url, names, jsm);
      const report = await child.sweep();
      const queued = (await jsm.streams.info(names.runStream)).state.messages;
      await jsm.streams.purge(names.runStream);
      const after = await rawPublish(names);
      const raw = (before.rate + after.rate) / 2;
      const rate = report.triggered / (report.sweepMs / 1000);
      ratios.push(rate / raw);
      console.log(
        `round ${round}: dispatched ${fmt(report.triggered)} of ${fmt(report.checked)} due (stream got ${fmt(queued)}) in ${(report.sweepMs / 1000).toFixed(2)} s = ${fmt(rate)} req/s; ` +
          `raw ${fmt(before.rate)} / ${fmt(after.rate)} msg/s → ratio ${(rate / raw).toFixed(2)}; ` +
          `CPU ${((report.cpuMs * 1000) / report.triggered).toFixed(0)} µs/request vs raw ${((before.cpuMsPerK + after.cpuMsPerK) / 2).toFixed(0)} µs/msg; ` +
          `RSS ${report.baselineRssMb} → peak ${report.peakRssMb} MB, heap peak ${report.peakHeapMb} MB (live after forced GCs ≤ ${report.retainedPeakMb} MB, after the sweep ${report.heapAfterGcMb} MB)`,
      );
      before = after;
    }
  } finally {
    await child.stop();
  }
  console.log(`median dispatch/raw ratio over ${ROUNDS} round(s): ${median(ratios).toFixed(2)} (target ≥ 0.5)`);
}

/**
 * Makes every metric due again for the next round (vacuuming away the previous round's row versions)
 * and recreates the stream: the same slot's message ids would otherwise be dropped as duplicates.
 */
async function rearm(url: string, names: NatsNames, jsm: JetStreamManager): Promise<void> {
  await jsm.streams.delete(names.runStream);
  await ensureRunStream(jsm, names);
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`UPDATE metrics SET next_run_at = now() - interval '1 second'`);
    await client.query('VACUUM ANALYZE metrics');
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const suffix = randomBytes(4).toString('hex');
  const database = `assemblr_bench_scheduler_${suffix}`;
  const url = dbUrl(database);
  const names = natsNames(`bench${suffix}`);
  const nc = await connectNats(NATS_URL, 'bench-scheduler');
  try {
    await runMigrations(url);
    const t = performance.now();
    await seed(url);
    console.log(`seeded ${fmt(METRICS)} due metrics (one cron, one slot) in ${((performance.now() - t) / 1000).toFixed(1)} s; publish concurrency ${PUBLISH_CONCURRENCY}; NATS async traces ${ASYNC_TRACES ? 'on' : 'off'}`);
    await ensureRunStream(await jetstreamManager(nc), names);
    // As in a deployment with executors: the lease bucket exists, so the sweep reads a lease per run it requests.
    await openLeaseBucket(nc, names, 30_000);
    await measure(url, names, nc);
  } finally {
    await deleteNatsResources(nc, names).catch(() => undefined);
    await nc.drain();
    await admin(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
