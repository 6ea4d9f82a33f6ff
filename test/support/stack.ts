import { randomBytes } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { NatsConnection } from '@nats-io/transport-node';
import pino from 'pino';
import { createChatApp } from '../../apps/chat/src/chat.app';
import { loadChatConfig } from '../../apps/chat/src/chat.config';
import { createExecutorApp } from '../../apps/executor/src/executor.app';
import { loadExecutorConfig } from '../../apps/executor/src/executor.config';
import { createGatewayApp } from '../../apps/gateway/src/gateway.app';
import { loadGatewayConfig } from '../../apps/gateway/src/gateway.config';
import { createSchedulerApp } from '../../apps/scheduler/src/scheduler.app';
import { loadSchedulerConfig } from '../../apps/scheduler/src/scheduler.config';
import type { Clock } from '../../libs/shared/src/clock';
import { connectNats, deleteNatsResources } from '../../libs/shared/src/nats/nats-connection';
import { natsNames, type NatsNames } from '../../libs/shared/src/nats/nats-names';
import { createTestDatabase, type TestDatabase } from './database';
import { Factories } from './factories';
import { TEST_NATS_URL } from './nats';

export type ServiceName = 'gateway' | 'executor' | 'scheduler' | 'chat';

export interface StackOptions {
  services?: ServiceName[];
  /** Extra environment for every service (e.g. EXECUTOR_LEASE_TTL_MS). */
  env?: Record<string, string>;
  clock?: Clock;
  /** How many executor instances to start (default 1). */
  executorReplicas?: number;
  /** How many scheduler instances to start (default 1). */
  schedulerReplicas?: number;
}

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/**
 * The real services in-process against a database and NATS names of their own: what e2e specs boot.
 * Logs are silent unless TEST_LOG_LEVEL is set.
 */
export class TestStack {
  readonly apps: { name: ServiceName; app: INestApplicationContext }[] = [];
  gateway?: NestFastifyApplication;
  baseUrl = '';

  private constructor(
    readonly db: TestDatabase,
    readonly names: NatsNames,
    readonly nc: NatsConnection,
    readonly token: string,
    readonly env: NodeJS.ProcessEnv,
    readonly factories: Factories,
  ) {}

  static async start(options: StackOptions = {}): Promise<TestStack> {
    const services = options.services ?? ['gateway', 'executor'];
    const db = await createTestDatabase();
    const names = natsNames(`t${randomBytes(5).toString('hex')}`);
    const nc = await connectNats(TEST_NATS_URL, 'assemblr-test-stack');
    const token = randomBytes(24).toString('hex');
    const env: NodeJS.ProcessEnv = {
      NODE_ENV: 'test',
      DATABASE_URL: db.url,
      NATS_URL: TEST_NATS_URL,
      ASSEMBLR_NATS_PREFIX: names.prefix,
      ASSEMBLR_API_TOKEN: token,
      CRON_SECRET: `cron-${token}`,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      ...options.env,
    };
    const stack = new TestStack(db, names, nc, token, env, new Factories(db.dataSource));
    try {
      const logger = (service: string) => pino({ level: env.LOG_LEVEL, base: { service } });
      // Executors first so run requests published by the others are consumed.
      for (const name of ['executor', 'scheduler', 'chat'] as const) {
        if (!services.includes(name)) continue;
        const replicas = name === 'executor' ? (options.executorReplicas ?? 1) : name === 'scheduler' ? (options.schedulerReplicas ?? 1) : 1;
        for (let i = 0; i < replicas; i++) await stack.startService(name, logger(`${name}-${i}`), options.clock);
      }
      if (services.includes('gateway')) {
        const app = await createGatewayApp(loadGatewayConfig(env), logger('gateway'), options.clock);
        stack.gateway = app;
        stack.apps.push({ name: 'gateway', app });
        await app.listen(0, '127.0.0.1');
        stack.baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
      }
      return stack;
    } catch (err) {
      await stack.close();
      throw err;
    }
  }

  /** Starts one more instance of a service (e.g. a second executor). */
  async startService(name: Exclude<ServiceName, 'gateway'>, logger = pino({ level: 'silent' }), clock?: Clock): Promise<INestApplicationContext> {
    const app =
      name === 'executor'
        ? await createExecutorApp(loadExecutorConfig(this.env), logger, clock)
        : name === 'scheduler'
          ? await createSchedulerApp(loadSchedulerConfig(this.env), logger, clock)
          : await createChatApp(loadChatConfig(this.env), logger, clock);
    this.apps.push({ name, app });
    return app;
  }

  /** Calls the gateway with the API token (pass `token: null` for none, or another token). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test responses are asserted field by field
  async api<T = any>(method: string, path: string, body?: unknown, options: { token?: string | null; headers?: Record<string, string>; raw?: string } = {}): Promise<ApiResponse<T>> {
    const token = options.token === undefined ? this.token : options.token;
    const headers: Record<string, string> = { ...options.headers };
    if (token !== null) headers.authorization = `Bearer ${token}`;
    let payload: string | undefined = options.raw;
    if (body !== undefined) payload = JSON.stringify(body);
    if (payload !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
    const res = await fetch(`${this.baseUrl}${path}`, { method, headers, body: payload });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, headers: res.headers, body: parsed as T };
  }

  async close(): Promise<void> {
    for (const { app } of [...this.apps].reverse()) await app.close().catch(() => undefined);
    this.apps.length = 0;
    await deleteNatsResources(this.nc, this.names).catch(() => undefined);
    await this.nc.drain().catch(() => undefined);
    await this.db.drop();
  }
}
