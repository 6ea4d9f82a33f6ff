import { Inject, Injectable } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';
import { NATS_CONNECTION, NATS_NAMES, type NatsNames, requestJson, type SweepReply, type SweepRequest } from '@assemblr/shared';
import type { GatewayConfig } from '../gateway.config';
import { GATEWAY_CONFIG } from '../gateway.tokens';

/** Asks one scheduler replica (queue group) to sweep now, over `scheduler.sweep`. */
@Injectable()
export class SchedulerClientService {
  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(NATS_NAMES) private readonly names: NatsNames,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /** The sweep's counts; `unavailable` when no scheduler answers within SCHEDULER_SWEEP_TIMEOUT_MS (no responders or a timeout). */
  sweep(request: SweepRequest): Promise<SweepReply> {
    const timeout = this.config.SCHEDULER_SWEEP_TIMEOUT_MS;
    const unavailable = `no scheduler answered within ${timeout} ms; scheduled metrics are swept when one runs`;
    return requestJson<SweepReply>(this.nc, this.names.schedulerSweep, request, timeout, unavailable);
  }
}
