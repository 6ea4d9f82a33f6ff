// Warm dashboard reads through the gateway vs a bare Fastify route serving the same bytes, plus the
// latency of a cold 10-metric dashboard read. Prints figures and ratios; asserts nothing.
// Own database and NATS prefix; cleans up after itself.
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import pino from 'pino';
import { connectNats, deleteNatsResources, natsNames, runMigrations } from '@assemblr/shared';
import { Client } from 'pg';
import { createExecutorApp } from '../apps/executor/src/executor.app';
import { loadExecutorConfig } from '../apps/executor/src/executor.config';
import { createGatewayApp } from '../apps/gateway/src/gateway.app';
import { loadGatewayConfig } from '../apps/gateway/src/gateway.config';

const BASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 4);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);

function dbUrl(name: string): string {
  const url = new URL(BASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

interface Figures {
  rps: number;
  p50: number;
  p99: number;
}

async function load(url: string, headers: Record<string, string>, duration = DURATION_S): Promise<Figures> {
  // the load generator runs in a worker thread, off the servers' event loop
  const r = await autocannon({ url, headers, connections: CONNECTIONS, duration, workers: 1 });
  if (r.non2xx || r.errors) throw new Error(`${url}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99 };
}

const mean = (figures: Figures[], key: keyof Figures) => figures.reduce((sum, f) => sum + f[key], 0) / figures.length;

/** Alternates the two targets round by round, so that load from elsewhere on the machine hits both alike. */
async function compare(a: () => Promise<Figures>, b: () => Promise<Figures>): Promise<[Figures[], Figures[]]> {
  const [as, bs]: [Figures[], Figures[]] = [[], []];
  for (let round = 0; round < ROUNDS; round++) {
    as.push(await a());
    bs.push(await b());
  }
  return [as, bs];
}

async function main(): Promise<void> {
  const dbName = `assemblr_bench_${randomBytes(4).toString('hex')}`;
  const names = natsNames(`bench${randomBytes(4).toString('hex')}`);
  const token = randomBytes(24).toString('hex');
  const env = {
    NODE_ENV: 'test',
    DATABASE_URL: dbUrl(dbName),
    NATS_URL,
    ASSEMBLR_NATS_PREFIX: names.prefix,
    ASSEMBLR_API_TOKEN: token,
    LOG_LEVEL: 'silent',
  };
  await runMigrations(env.DATABASE_URL);
  const silent = pino({ level: 'silent' });
  const executor = await createExecutorApp(loadExecutorConfig(env), silent);
  const gateway = await createGatewayApp(loadGatewayConfig(env), silent);
  await gateway.listen(0, '127.0.0.1');
  const base = (await gateway.getUrl()).replace('[::1]', '127.0.0.1');
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, text: await res.text() };
  };
  const json = async (method: string, path: string, body?: unknown) => JSON.parse((await api(method, path, body)).text);
  const bare = Fastify({ logger: false });
  const db = new Client({ connectionString: env.DATABASE_URL });
  await db.connect();
  try {
    // ---- warm: 10 metrics with long TTLs, read once to fill the caches
    const source = (await json('POST', '/api/data-sources', { name: 'Bench', kind: 'demo' })).id;
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      const metric = await json('POST', '/api/metrics', {
        name: `Metric ${i}`,
        dataSourceId: source,
        definition: { value: { total: 1000 + i, currency: 'EUR', series: [1, 2, 3, 4, 5] } },
        executionPolicy: { ttlSeconds: 86_400, maxStalenessSeconds: 86_400 },
      });
      ids.push(metric.id);
    }
    const dashboard = (await json('POST', '/api/dashboards', { name: 'Bench board', metricIds: ids })).id;
    const warm = await api('GET', `/api/dashboards/${dashboard}/data`);
    if (warm.status !== 200) throw new Error(`warm read failed: ${warm.status} ${warm.text}`);
    const bytes = Buffer.from(warm.text);
    bare.get('/data', (_req, reply) => reply.header('content-type', 'application/json; charset=utf-8').send(bytes));
    await bare.listen({ port: 0, host: '127.0.0.1' });
    const bareUrl = `http://127.0.0.1:${(bare.server.address() as { port: number }).port}/data`;

    const dataUrl = `${base}/api/dashboards/${dashboard}/data`;
    const auth = { authorization: headers.authorization };
    await load(bareUrl, {}, 2); // warm-up (JIT, pools)
    await load(dataUrl, auth, 2);
    console.log(`warm 10-metric dashboard (${bytes.length} bytes), ${CONNECTIONS} connections, ${ROUNDS} alternating rounds of ${DURATION_S} s`);
    const [bareRounds, gatewayRounds] = await compare(() => load(bareUrl, {}), () => load(dataUrl, auth));
    const row = (label: string, f: Figures[]) =>
      console.log(`  ${label.padEnd(22)} ${mean(f, 'rps').toFixed(0).padStart(7)} req/s   p50 ${mean(f, 'p50').toFixed(1)} ms   p99 ${mean(f, 'p99').toFixed(1)} ms   (rounds: ${f.map((x) => x.rps.toFixed(0)).join(', ')} req/s)`);
    row('bare Fastify route', bareRounds);
    row('gateway /data (warm)', gatewayRounds);
    console.log(`  ratio req/s gateway/bare = ${(mean(gatewayRounds, 'rps') / mean(bareRounds, 'rps')).toFixed(2)} (target ≥ 0.8)`);
    console.log(`  ratio p99 gateway/bare   = ${(mean(gatewayRounds, 'p99') / Math.max(mean(bareRounds, 'p99'), 1)).toFixed(2)} (target ≤ 2)`);

    // ---- cold: 10 metrics of 100 ms each, never run: one read blocks on all ten runs in parallel
    const cold: number[] = [];
    const queued: number[] = [];
    for (let round = 0; round < 5; round++) {
      const coldIds: string[] = [];
      for (let i = 0; i < 10; i++) {
        const ds = (await json('POST', '/api/data-sources', { name: `Cold ${round}.${i}`, kind: 'demo' })).id;
        coldIds.push((await json('POST', '/api/metrics', { name: `Cold ${i}`, dataSourceId: ds, definition: { value: i, delayMs: 100 } })).id);
      }
      const board = (await json('POST', '/api/dashboards', { name: `Cold ${round}`, metricIds: coldIds })).id;
      const started = performance.now();
      const body = await json('GET', `/api/dashboards/${board}/data`);
      const elapsed = performance.now() - started;
      cold.push(elapsed);
      if (!body.metrics.every((m: { state: string }) => m.state === 'fresh')) throw new Error('cold read did not return ten fresh results');
      // where the time went: request → start (queue + lease)
      const { rows } = await db.query<{ queued_ms: number }>(
        `SELECT max(extract(epoch FROM started_at - requested_at) * 1000)::float AS queued_ms FROM metric_executions WHERE metric_id = ANY($1::uuid[])`,
        [coldIds],
      );
      queued.push(rows[0].queued_ms);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    console.log(
      `cold 10-metric dashboard, 100 ms per metric (5 rounds): median ${median(cold).toFixed(0)} ms, min ${Math.min(...cold).toFixed(0)} ms, max ${Math.max(...cold).toFixed(0)} ms (sequential would be ≥ 1000 ms)`,
    );
    console.log(`  of which, median: slowest request → run start (executor queue + lease) ${median(queued).toFixed(0)} ms`);
  } finally {
    await db.end();
    await bare.close();
    await gateway.close();
    await executor.close();
    const nc = await connectNats(NATS_URL, 'bench-cleanup');
    await deleteNatsResources(nc, names).catch(() => undefined);
    await nc.drain();
    const admin = new Client({ connectionString: dbUrl('postgres') });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await admin.end();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
