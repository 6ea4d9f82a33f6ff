import { Inject, Injectable } from '@nestjs/common';
import { NATS_CONNECTION } from '@assemblr/shared';
import type { NatsConnection } from '@nats-io/transport-node';
import { DataSource } from 'typeorm';

export type CheckState = 'ok' | 'down';
export interface HealthReport {
  status: 'ok' | 'degraded';
  checks: { database: CheckState; nats: CheckState };
}

const CHECK_TIMEOUT_MS = 2000;

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);
}

@Injectable()
export class HealthService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
  ) {}

  async check(): Promise<HealthReport> {
    const [database, nats] = await Promise.all([
      within(this.dataSource.query('SELECT 1'), CHECK_TIMEOUT_MS).then(() => 'ok' as const, () => 'down' as const),
      this.nc.isClosed() ? Promise.resolve('down' as const) : within(this.nc.flush(), CHECK_TIMEOUT_MS).then(() => 'ok' as const, () => 'down' as const),
    ]);
    return { status: database === 'ok' && nats === 'ok' ? 'ok' : 'degraded', checks: { database, nats } };
  }
}
