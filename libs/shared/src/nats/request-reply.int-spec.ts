import { Writable } from 'node:stream';
import pino from 'pino';
import { z } from 'zod';
import { createTestNats, type TestNats } from '../../../../test/support/nats';
import { type RequestServer, requestJson, serveRequests } from './request-reply';
import { readReply, ServiceError } from './service-errors';

// serveRequests and requestJson against the real NATS server, on a random subject prefix per test.
describe('serveRequests / requestJson (real NATS)', () => {
  let nats: TestNats;
  let subject: string;
  let logs: { level: number; msg: string; subject?: string; err?: unknown }[];
  const servers: RequestServer[] = [];
  const schema = z.strictObject({ n: z.number({ error: 'must be a number' }).int().min(0, 'must be at least 0') });

  const logger = () =>
    pino(
      { level: 'debug' },
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          logs.push(JSON.parse(chunk.toString()) as (typeof logs)[number]);
          done();
        },
      }),
    );
  const serve = (handle: (request: z.infer<typeof schema>) => unknown, queue?: string, emptyBody?: unknown) => {
    const server = serveRequests(nats.nc, { subject, queue, schema, handle, logger: logger(), emptyBody });
    servers.push(server);
    return server;
  };
  const call = <T>(body: unknown, timeoutMs = 2000) => requestJson<T>(nats.nc, subject, body, timeoutMs);
  const rejection = (promise: Promise<unknown>) => promise.then(() => new Error('expected a rejection'), (err: unknown) => err);

  beforeEach(async () => {
    nats = await createTestNats();
    subject = `${nats.names.prefix}.request-reply.test`;
    logs = [];
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.stop()));
    await nats.cleanup();
  });

  it('answers a valid request with the handler result as JSON (null when it has nothing to say)', async () => {
    serve((request) => (request.n === 0 ? undefined : { doubled: request.n * 2 }));
    expect(await call({ n: 21 })).toEqual({ doubled: 42 });
    expect(await call({ n: 0 })).toBeNull();
  });

  it('shares requests among the replicas of a queue group: each is handled once', async () => {
    let handled = 0;
    serve(() => ++handled, 'replicas');
    serve(() => ++handled, 'replicas');
    await Promise.all(Array.from({ length: 20 }, (_, n) => call({ n })));
    expect(handled).toBe(20);
  });

  it('answers malformed JSON and schema errors with invalid_request naming the fields', async () => {
    const seen: unknown[] = [];
    serve((request) => seen.push(request));
    const raw = async (payload: string | Uint8Array) => rejection(nats.nc.request(subject, payload, { timeout: 2000 }).then(readReply));

    expect(await raw('not json')).toMatchObject({ code: 'invalid_request', errors: [{ path: '(body)', message: 'is not valid JSON' }] });
    const wrongType = await rejection(call({ n: 'x' }));
    expect(wrongType).toBeInstanceOf(ServiceError);
    expect(wrongType).toMatchObject({ code: 'invalid_request', message: 'n: must be a number', errors: [{ path: 'n', message: 'must be a number' }] });
    expect(await rejection(call({ n: -1 }))).toMatchObject({ errors: [{ path: 'n', message: 'must be at least 0' }] });
    expect(await rejection(call({ n: 1, extra: true }))).toMatchObject({ code: 'invalid_request' });
    expect(seen).toEqual([]);
  });

  it('survives any payload and keeps serving', async () => {
    serve((request) => request.n);
    const payloads: (string | Uint8Array)[] = ['', 'null', '[]', '"n"', '{"n":', new Uint8Array([0xff, 0xfe, 0x00, 0x80]), '{"__proto__":{"n":1}}', '['.repeat(10_000)];
    for (const payload of payloads) {
      await expect(nats.nc.request(subject, payload, { timeout: 2000 }).then(readReply)).rejects.toMatchObject({ code: 'invalid_request' });
    }
    nats.nc.publish(subject, '{"n":1}'); // no reply subject: answered into the void, no crash
    expect(await call({ n: 7 })).toBe(7);
  });

  it('treats an empty payload as emptyBody when given (still validated), a non-empty one as JSON', async () => {
    const first = serve((request) => request.n, undefined, { n: 3 });
    expect(await readReply(await nats.nc.request(subject, '', { timeout: 2000 }))).toBe(3);
    expect(await call({ n: 4 })).toBe(4);
    expect(await rejection(nats.nc.request(subject, ' ', { timeout: 2000 }).then(readReply))).toMatchObject({ code: 'invalid_request' });
    await first.stop();
    serve((request) => request.n, undefined, { n: -1 });
    expect(await rejection(nats.nc.request(subject, '', { timeout: 2000 }).then(readReply))).toMatchObject({ code: 'invalid_request' });
  });

  it('passes a thrown ServiceError with its code; an unknown error is internal, logged once, message not leaked', async () => {
    serve((request) => {
      if (request.n === 0) throw new ServiceError('not_found', 'no such thing');
      if (request.n === 1) return Promise.reject(new Error('password=hunter2 at db'));
      throw new TypeError('boom');
    });
    expect(await rejection(call({ n: 0 }))).toMatchObject({ code: 'not_found', message: 'no such thing' });
    const internal = (await rejection(call({ n: 1 }))) as ServiceError;
    expect(internal).toMatchObject({ code: 'internal' });
    expect(internal.message).not.toMatch(/hunter2/);
    expect(await rejection(call({ n: 2 }))).toMatchObject({ code: 'internal' });
    const errors = logs.filter((l) => l.level >= 50);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatchObject({ msg: 'request failed', subject });
  });

  it('stop() lets an answer in progress finish, then takes no more requests', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const handling = new Promise<void>((resolve) => (started = resolve));
    const server = serve(async (request) => {
      started();
      await released;
      return request.n;
    });
    const pending = call({ n: 5 });
    await handling;
    let stopped = false;
    const stopping = server.stop().then(() => (stopped = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    release();
    expect(await pending).toBe(5);
    await stopping;
    expect(await rejection(call({ n: 1 }))).toMatchObject({ code: 'unavailable' });
  });

  it('requestJson maps no responders and timeouts to unavailable, with the NATS error as cause', async () => {
    const noOne = (await rejection(requestJson(nats.nc, subject, { n: 1 }, 2000, 'nobody home'))) as ServiceError;
    expect(noOne).toBeInstanceOf(ServiceError);
    expect(noOne).toMatchObject({ code: 'unavailable', message: 'nobody home' });
    expect(noOne.cause).toBeDefined();

    const silent = nats.nc.subscribe(subject); // hears the request, never answers
    const started = Date.now();
    expect(await rejection(call({ n: 1 }, 200))).toMatchObject({ code: 'unavailable' });
    expect(Date.now() - started).toBeLessThan(2000);
    silent.unsubscribe();
  });
});
