import { Inject, Injectable, type OnApplicationBootstrap, type BeforeApplicationShutdown } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';
import { freshnessRequestSchema, LOGGER, type Logger, NATS_CONNECTION, NATS_NAMES, type NatsNames, QUEUE_GROUPS, type RequestServer, serveRequests } from '@assemblr/shared';
import { FreshnessService } from './freshness.service';

/** `metrics.freshness` request/reply in the executor queue group: validate, assess, reply. */
@Injectable()
export class FreshnessResponder implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private server?: RequestServer;

  constructor(
    private readonly freshness: FreshnessService,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(NATS_NAMES) private readonly names: NatsNames,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.server = serveRequests(this.nc, {
      subject: this.names.freshness,
      queue: QUEUE_GROUPS.executor,
      schema: freshnessRequestSchema,
      handle: (request) => this.freshness.assess(request.metricIds),
      logger: this.logger,
    });
    // once started, the server knows the subscription: a request right after start finds a responder
    await this.nc.flush();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.server?.stop();
  }
}
