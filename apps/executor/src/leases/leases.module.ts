import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Module } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';
import { NATS_CONNECTION, NATS_NAMES, type NatsNames, openLeaseBucket } from '@assemblr/shared';
import type { ExecutorConfig } from '../executor.config';
import { EXECUTOR_CONFIG, LEASE_BUCKET, WORKER_ID } from '../executor.tokens';
import { LeaseService } from './lease.service';

@Module({
  providers: [
    { provide: WORKER_ID, useFactory: () => `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}` },
    {
      provide: LEASE_BUCKET,
      useFactory: (nc: NatsConnection, names: NatsNames, config: ExecutorConfig) => openLeaseBucket(nc, names, config.EXECUTOR_LEASE_TTL_MS),
      inject: [NATS_CONNECTION, NATS_NAMES, EXECUTOR_CONFIG],
    },
    LeaseService,
  ],
  exports: [LeaseService, WORKER_ID],
})
export class LeasesModule {}
