import { performance } from 'node:perf_hooks';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  CLOCK,
  type Clock,
  coldRunMsgId,
  LOGGER,
  type Logger,
  NATS_CONNECTION,
  NATS_NAMES,
  type NatsNames,
  type RunReason,
  RunRequestPublisher,
  staleRunMsgId,
  type TriggeredBy,
} from '@assemblr/shared';
import type { GatewayConfig } from '../gateway.config';
import { GATEWAY_CONFIG } from '../gateway.tokens';
import type { LatestState } from '../read-model/read-model.types';

export type GatewayRunReason = Extract<RunReason, 'stale_refresh' | 'cold_load' | 'manual'>;

const TRIGGER: Record<GatewayRunReason, TriggeredBy> = { stale_refresh: 'system', cold_load: 'system', manual: 'user' };

/**
 * Dedupe key (and `Nats-Msg-Id`) of a system run request: the same stale result, or the same
 * expired/missing state, asks for one run, here and across replicas (JetStream's duplicate window).
 * A new failure changes the cold key, so the next blocked read tries again.
 */
export function runDedupeKey(metricId: string, reason: 'stale_refresh' | 'cold_load', latest: LatestState): string {
  const completed = latest.completed?.executionId ?? null;
  if (reason === 'stale_refresh') return staleRunMsgId(metricId, completed);
  return coldRunMsgId(metricId, completed, latest.failure?.executionId ?? null);
}

/** Publishes run requests on `metrics.run.<id>` (JetStream, with `Nats-Msg-Id`), at most once per key per window. */
@Injectable()
export class RunRequester implements OnModuleInit {
  private readonly publisher: RunRequestPublisher;
  private readonly recent = new Map<string, { at: number; published: Promise<boolean> }>();
  private lastPrune = performance.now();

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(NATS_NAMES) private readonly names: NatsNames,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {
    this.publisher = new RunRequestPublisher(nc, names, clock);
  }

  /** The run stream exists before the first read needs it (created if no executor has yet). */
  async onModuleInit(): Promise<void> {
    await this.publisher.ensureStream();
  }

  /**
   * Requests a run. With a `dedupeKey`, a request already published under it within REFRESH_DEDUPE_MS
   * is reused. Resolves false (logged) when NATS did not take it.
   */
  request(metricId: string, reason: GatewayRunReason, dedupeKey?: string): Promise<boolean> {
    const now = performance.now();
    this.prune(now);
    if (dedupeKey) {
      const seen = this.recent.get(dedupeKey);
      if (seen && now - seen.at < this.config.REFRESH_DEDUPE_MS) return seen.published;
    }
    const published = this.publish(metricId, reason, dedupeKey);
    if (dedupeKey) {
      this.recent.set(dedupeKey, { at: now, published });
      // a failed publish must not block the next attempt
      void published.then((ok) => ok || this.recent.delete(dedupeKey));
    }
    return published;
  }

  private async publish(metricId: string, reason: GatewayRunReason, dedupeKey?: string): Promise<boolean> {
    try {
      await this.publisher.publish(metricId, { triggeredBy: TRIGGER[reason], reason, msgId: dedupeKey });
      return true;
    } catch (err) {
      this.logger.warn({ err, metricId, reason }, 'could not publish a run request');
      return false;
    }
  }

  private prune(now: number): void {
    if (now - this.lastPrune < this.config.REFRESH_DEDUPE_MS) return;
    this.lastPrune = now;
    for (const [key, seen] of this.recent) if (now - seen.at >= this.config.REFRESH_DEDUPE_MS) this.recent.delete(key);
  }
}
