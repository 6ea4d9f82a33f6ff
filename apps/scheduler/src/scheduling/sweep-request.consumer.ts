import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  LOGGER,
  type Logger,
  NATS_CONNECTION,
  NATS_NAMES,
  type NatsNames,
  QUEUE_GROUPS,
  type RequestServer,
  serveRequests,
  ServiceError,
  type SweepReply,
  type SweepRequest,
  sweepRequestSchema,
} from '@assemblr/shared';
import { SchedulingService } from './scheduling.service';

/** Answers `scheduler.sweep` (the gateway's cron endpoint) in the scheduler queue group: one replica sweeps per request. */
@Injectable()
export class SweepRequestConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private server: RequestServer | undefined;

  constructor(
    private readonly scheduling: SchedulingService,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(NATS_NAMES) private readonly names: NatsNames,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.server = serveRequests(this.nc, {
      subject: this.names.schedulerSweep,
      queue: QUEUE_GROUPS.scheduler,
      schema: sweepRequestSchema,
      emptyBody: {}, // an empty body is a sweep without a limit
      handle: (request) => this.sweep(request),
      logger: this.logger,
    });
    // The server knows the subscription once the app has started: a request right after start finds it.
    await this.nc.flush();
  }

  async onModuleDestroy(): Promise<void> {
    // Stop taking requests; sweeps already running still answer before the connection drains.
    await this.server?.stop();
    await this.scheduling.idle();
  }

  private async sweep(request: SweepRequest): Promise<SweepReply> {
    try {
      return await this.scheduling.sweep(request);
    } catch (err) {
      // The batch rolled back: nothing was lost, so the caller may simply retry (503, not 500).
      this.logger.error({ err }, 'requested sweep failed');
      throw new ServiceError('unavailable', 'the sweep failed; the due metrics stay due and the next sweep retries them');
    }
  }
}
