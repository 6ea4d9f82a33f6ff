import { Inject, Injectable, type OnApplicationBootstrap, type BeforeApplicationShutdown } from '@nestjs/common';
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import {
  decodeJson,
  freshnessRequestSchema,
  LOGGER,
  type Logger,
  NATS_CONNECTION,
  NATS_NAMES,
  type NatsNames,
  parseMessage,
  QUEUE_GROUPS,
  respondWithError,
  respondWithJson,
  ServiceError,
} from '@assemblr/shared';
import { FreshnessService } from './freshness.service';

/** `metrics.freshness` request/reply in the executor queue group: validate, assess, reply. */
@Injectable()
export class FreshnessResponder implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private subscription?: Subscription;

  constructor(
    private readonly freshness: FreshnessService,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(NATS_NAMES) private readonly names: NatsNames,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.subscription = this.nc.subscribe(this.names.freshness, { queue: QUEUE_GROUPS.executor, callback: (_err, msg) => void this.answer(msg) });
  }

  private async answer(msg: Msg): Promise<void> {
    const decoded = decodeJson(msg.data);
    const parsed = decoded.ok ? parseMessage(freshnessRequestSchema, decoded.value) : decoded;
    if (!parsed.ok) return respondWithError(msg, new ServiceError('invalid_request', 'invalid freshness request', parsed.errors));
    try {
      respondWithJson(msg, await this.freshness.assess(parsed.value.metricIds));
    } catch (err) {
      this.logger.error({ err }, 'freshness request failed');
      respondWithError(msg, new ServiceError('unavailable', 'freshness is unavailable right now; try again'));
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.subscription?.drain().catch(() => undefined);
  }
}
