import { Inject, Injectable } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  type FreshnessItem,
  type FreshnessReply,
  type FreshnessRequest,
  LOGGER,
  type Logger,
  NATS_CONNECTION,
  NATS_NAMES,
  type NatsNames,
  requestJson,
} from '@assemblr/shared';
import type { ChatConfig } from '../chat.config';
import { CHAT_CONFIG } from '../chat.tokens';

const MAX_PER_REQUEST = 1000;

/** Asks the executors (`metrics.freshness`) how fresh metrics are: the same rule and clock dashboards use. */
@Injectable()
export class FreshnessClient {
  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(NATS_NAMES) private readonly names: NatsNames,
    @Inject(CHAT_CONFIG) private readonly config: ChatConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Freshness by metric id, or null when no executor answers in time (the caller then assesses locally). */
  async query(metricIds: readonly string[]): Promise<Map<string, FreshnessItem> | null> {
    if (metricIds.length === 0) return new Map();
    try {
      const request: FreshnessRequest = { metricIds: metricIds.slice(0, MAX_PER_REQUEST) };
      const body = await requestJson<FreshnessReply>(this.nc, this.names.freshness, request, this.config.CHAT_FRESHNESS_TIMEOUT_MS);
      if (!Array.isArray(body?.metrics)) throw new Error('freshness reply without a metrics list');
      return new Map(body.metrics.filter((m) => typeof m?.metricId === 'string').map((m) => [m.metricId, m]));
    } catch (err) {
      this.logger.debug({ err: String(err), cause: err instanceof Error && err.cause ? String(err.cause) : undefined }, 'metrics.freshness unanswered: assessing freshness locally');
      return null;
    }
  }
}
