import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import {
  decodeJson,
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
  sweepRequestSchema,
  type Validated,
} from '@assemblr/shared';
import { SchedulingService } from './scheduling.service';

/** Answers `scheduler.sweep` (the gateway's cron endpoint) in the scheduler queue group: one replica sweeps per request. */
@Injectable()
export class SweepRequestConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private subscription: Subscription | undefined;

  constructor(
    private readonly scheduling: SchedulingService,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(NATS_NAMES) private readonly names: NatsNames,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.subscription = this.nc.subscribe(this.names.schedulerSweep, {
      queue: QUEUE_GROUPS.scheduler,
      callback: (err, msg) => {
        if (err) this.logger.warn({ err }, 'sweep subscription error');
        else void this.handle(msg);
      },
    });
    // The server knows the subscription once the app has started: a request right after start finds it.
    await this.nc.flush();
  }

  async onModuleDestroy(): Promise<void> {
    // Stop taking requests; sweeps already running still answer before the connection drains.
    this.subscription?.unsubscribe();
    await this.scheduling.idle();
  }

  private async handle(msg: Msg): Promise<void> {
    const request = readSweepRequest(msg.data);
    if (!request.ok) {
      respondWithError(msg, new ServiceError('invalid_request', request.errors.map((e) => `${e.path}: ${e.message}`).join('; '), request.errors));
      return;
    }
    try {
      respondWithJson(msg, await this.scheduling.sweep(request.value));
    } catch (err) {
      this.logger.error({ err }, 'requested sweep failed');
      respondWithError(msg, new ServiceError('unavailable', 'the sweep failed; the due metrics stay due and the next sweep retries them'));
    }
  }
}

/** An empty body is a sweep without a limit. */
function readSweepRequest(data: Uint8Array): Validated<{ limit?: number }> {
  if (data.length === 0) return { ok: true, value: {} };
  const decoded = decodeJson(data);
  return decoded.ok ? parseMessage(sweepRequestSchema, decoded.value) : decoded;
}
