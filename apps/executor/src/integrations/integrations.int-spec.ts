import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ExecutionStore, latestRecordSchema } from '@assemblr/shared';
import { Kvm } from '@nats-io/kv';
import { collectEvents, publishRunRequest, runRequest } from '../../../../test/support/run-requests';
import { TestStack } from '../../../../test/support/stack';

describe('integrations through the executor (real Postgres, local HTTP server)', () => {
  let stack: TestStack;
  let store: ExecutionStore;
  let server: Server;
  let baseUrl: string;
  const seenHeaders: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      seenHeaders.push(String(req.headers['x-api-key']));
      const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (req.url === '/v1/stats') return json(200, { data: { items: [{ total: 41 }, { total: 42 }] } });
      if (req.url === '/v1/broken') return json(503, { error: 'down' });
      if (req.url === '/v1/slow') {
        const timer = setTimeout(() => json(200, { late: true }), 5_000);
        return void res.on('close', () => clearTimeout(timer));
      }
      if (req.url === '/v1/big') return json(200, { blob: 'x'.repeat(5_000) });
      if (req.url === '/v1/text') return res.writeHead(200, { 'content-type': 'text/plain' }).end('plain 7');
      return json(404, { error: 'no such path' });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    stack = await TestStack.start({ services: ['executor'], env: { EXECUTOR_MAX_ROWS: '5', EXECUTOR_HTTP_MAX_BYTES: '1000' } });
    store = new ExecutionStore(stack.db.dataSource);
    await stack.db.dataSource.query(`CREATE TABLE orders (id serial PRIMARY KEY, amount numeric NOT NULL)`);
    await stack.db.dataSource.query(`INSERT INTO orders (amount) VALUES (10.5), (20), (4)`);
  });
  afterAll(async () => {
    await stack.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  /** Runs the metric once (manual request) and returns its finished execution. */
  async function run(metricId: string) {
    const events = collectEvents(stack.nc, stack.names);
    try {
      await publishRunRequest(stack.nc, stack.names, runRequest(metricId));
      const done = await events.next((e) => e.metricId === metricId && (e.type === 'completed' || e.type === 'failed'));
      return (await store.getExecution(done.executionId))!;
    } finally {
      events.stop();
    }
  }

  describe('postgres', () => {
    let sourceId: string;
    const metric = (sql: string, extra: Record<string, unknown> = {}) => stack.factories.metric({ dataSourceId: sourceId, definition: { sql, ...extra } });

    beforeAll(async () => {
      sourceId = await stack.factories.dataSource({ kind: 'postgres', config: { connectionString: stack.db.url } });
    });

    it('returns columns, rows, rowCount and the first value', async () => {
      const execution = await run(await metric('select sum(amount) as value, count(*) as orders from orders'));
      expect(execution.status).toBe('completed');
      expect(execution.result).toEqual({ columns: [{ name: 'value' }, { name: 'orders' }], rows: [{ value: 34.5, orders: 3 }], rowCount: 1, value: 34.5 });
    });

    it('refuses results over the row cap with a clear error', async () => {
      const execution = await run(await metric('select g from generate_series(1, 10) g'));
      expect(execution).toMatchObject({ status: 'failed', failureKind: 'error' });
      expect(execution.error).toMatch(/more than 5 rows/);
    });

    it('runs read-only: writes fail and change nothing', async () => {
      const execution = await run(await metric('delete from orders'));
      expect(execution.status).toBe('failed');
      expect(execution.error).toMatch(/definition\.sql must be one read-only query/);
      const sneaky = await run(await metric(`select nextval('orders_id_seq')`));
      expect(sneaky.error).toMatch(/read-only transaction/);
      const smuggled = await run(await metric('select 1; commit; delete from orders'));
      expect(smuggled.status).toBe('failed');
      expect((await stack.db.dataSource.query(`SELECT count(*)::int AS n FROM orders`))[0].n).toBe(3);
    });

    it('times out a slow query and says after how long', async () => {
      const execution = await run(await metric('select pg_sleep(5)', { timeoutMs: 300 }));
      expect(execution).toMatchObject({ status: 'failed', failureKind: 'timeout', error: 'timed out after 300 ms' });
    });

    it('reports SQL errors and unreachable servers without leaking the password', async () => {
      const badSql = await run(await metric('select * from no_such_table'));
      expect(badSql.error).toMatch(/no_such_table/);
      const unreachable = await stack.factories.dataSource({ kind: 'postgres', config: { connectionString: 'postgres://reader:supersecret@127.0.0.1:1/sales' } });
      const execution = await run(await stack.factories.metric({ dataSourceId: unreachable, definition: { sql: 'select 1' } }));
      expect(execution.status).toBe('failed');
      expect(execution.error).toMatch(/ECONNREFUSED|connect/);
      expect(execution.error).not.toContain('supersecret');
    });

    it('names a missing definition field', async () => {
      const execution = await run(await stack.factories.metric({ dataSourceId: sourceId, definition: { query: 'select 1' } }));
      expect(execution.error).toMatch(/definition\.sql/);
    });
  });

  describe('http', () => {
    const metric = async (definition: Record<string, unknown>, config: Record<string, unknown> = {}) =>
      stack.factories.metric({
        dataSourceId: await stack.factories.dataSource({ kind: 'http', config: { baseUrl, headers: { 'x-api-key': 'k-123' }, ...config } }),
        definition,
      });

    it('extracts the value at valuePath and keeps the body, sending the configured headers', async () => {
      const execution = await run(await metric({ path: '/v1/stats', valuePath: 'data.items.1.total' }));
      expect(execution.status).toBe('completed');
      expect(execution.result).toEqual({ value: 42, body: { data: { items: [{ total: 41 }, { total: 42 }] } } });
      expect(seenHeaders).toContain('k-123');
    });

    it('uses the whole body without valuePath, text included', async () => {
      expect((await run(await metric({ path: '/v1/text' }))).result).toEqual({ value: 'plain 7', body: 'plain 7' });
    });

    it('fails on non-2xx naming the status', async () => {
      const execution = await run(await metric({ path: '/v1/broken' }));
      expect(execution.status).toBe('failed');
      expect(execution.error).toMatch(/HTTP 503/);
    });

    it('fails when valuePath names nothing', async () => {
      expect((await run(await metric({ path: '/v1/stats', valuePath: 'data.nope' }))).error).toMatch(/valuePath "data.nope"/);
    });

    it('times out', async () => {
      const execution = await run(await metric({ path: '/v1/slow', timeoutMs: 300 }));
      expect(execution).toMatchObject({ status: 'failed', failureKind: 'timeout', error: 'timed out after 300 ms' });
    });

    it('caps the response size', async () => {
      expect((await run(await metric({ path: '/v1/big' }))).error).toMatch(/larger than the 1000-byte limit/);
    });

    it('names an invalid base URL', async () => {
      expect((await run(await metric({ path: '/x' }, { baseUrl: 'ftp://nope' }))).error).toMatch(/config\.baseUrl/);
    });
  });

  describe('demo', () => {
    it('fails on demand and keeps the previous completed result as the latest completed', async () => {
      const metricId = await stack.factories.metric({ definition: { value: 5 } });
      const ok = await run(metricId);
      expect(ok).toMatchObject({ status: 'completed', result: { value: 5 } });
      await stack.db.dataSource.query(`UPDATE metrics SET definition = '{"fail": true}' WHERE id = $1`, [metricId]);
      const bad = await run(metricId);
      expect(bad).toMatchObject({ status: 'failed', failureKind: 'error' });
      expect(bad.error).toMatch(/configured to fail/);
      expect((await store.getLatestExecution(metricId))?.id).toBe(ok.id);
      const entry = await (await new Kvm(stack.nc).open(stack.names.latestBucket)).get(metricId);
      const record = latestRecordSchema.parse(entry!.json());
      expect(record.completed?.executionId).toBe(ok.id);
      expect(record.failure).toMatchObject({ executionId: bad.id, message: bad.error });
    });
  });
});
