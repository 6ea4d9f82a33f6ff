import { Module } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';
import { NATS_CONNECTION, NATS_NAMES, type NatsNames, openLatestBucket } from '@assemblr/shared';
import { LATEST_BUCKET } from '../executor.tokens';
import { LatestModelService } from './latest-model.service';

@Module({
  providers: [
    { provide: LATEST_BUCKET, useFactory: (nc: NatsConnection, names: NatsNames) => openLatestBucket(nc, names), inject: [NATS_CONNECTION, NATS_NAMES] },
    LatestModelService,
  ],
  exports: [LatestModelService],
})
export class LatestModule {}
