import { Inject, Injectable } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  type ExecutionRecord,
  LOGGER,
  type Logger,
  type MetricEvent,
  type MetricEventType,
  METRIC_EVENT_RESULT_MAX_BYTES,
  NATS_CONNECTION,
  NATS_NAMES,
  type NatsNames,
} from '@assemblr/shared';
import { LatestModelService } from '../latest/latest-model.service';
import { RecentFinishes } from './recent-finishes.service';

export function toMetricEvent(type: MetricEventType, e: ExecutionRecord): MetricEvent {
  return {
    type,
    metricId: e.metricId,
    executionId: e.id,
    triggeredBy: e.triggeredBy,
    reason: e.reason,
    requestedAt: e.requestedAt.toISOString(),
    startedAt: e.startedAt?.toISOString() ?? null,
    completedAt: e.completedAt?.toISOString() ?? null,
    error: e.error,
  };
}

/**
 * The event as JSON; a `completed` one carries its result when that is small enough, so that gateways
 * need not load the execution back from Postgres (the result is serialised once, spliced in).
 */
export function encodeMetricEvent(type: MetricEventType, e: ExecutionRecord): string {
  const json = JSON.stringify(toMetricEvent(type, e));
  if (type !== 'completed') return json;
  const result = JSON.stringify(e.result ?? null);
  if (Buffer.byteLength(result) > METRIC_EVENT_RESULT_MAX_BYTES) return json;
  return `${json.slice(0, -1)},"result":${result}}`;
}

/**
 * Tells the world about an execution after its Postgres commit: the `metrics.events.<metricId>` event
 * and, for finished ones, the `metric_latest` read model. The read model is rebuildable, so a failed KV
 * write is logged, never allowed to fail the run. Finishing does not wait for them (the run releases its
 * lease and acks meanwhile); shutdown waits through `flush()`.
 */
@Injectable()
export class OutcomePublisher {
  private readonly pending = new Set<Promise<void>>();
  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(NATS_NAMES) private readonly names: NatsNames,
    private readonly latest: LatestModelService,
    private readonly recent: RecentFinishes,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  started(e: ExecutionRecord): void {
    this.publish('started', e);
  }

  finished(e: ExecutionRecord): void {
    if (e.status === 'completed' && e.completedAt) this.recent.note(e.metricId, e.completedAt);
    const task = this.announce(e).finally(() => this.pending.delete(task));
    this.pending.add(task);
  }

  /** Resolves once every announcement started so far is out. */
  async flush(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }

  private async announce(e: ExecutionRecord): Promise<void> {
    const completed = e.status === 'completed';
    try {
      await this.latest.record(e.metricId, completed ? { completed: e } : { failed: e });
    } catch (err) {
      this.logger.warn({ metricId: e.metricId, executionId: e.id, err: (err as Error).message }, 'metric_latest update failed');
    }
    // after the read model, so that a reader woken by the event finds it current
    this.publish(completed ? 'completed' : 'failed', e);
  }

  private publish(type: MetricEventType, e: ExecutionRecord): void {
    try {
      this.nc.publish(this.names.eventsSubject(e.metricId), encodeMetricEvent(type, e));
    } catch (err) {
      this.logger.warn({ metricId: e.metricId, type, err: (err as Error).message }, 'event publish failed');
    }
  }
}
