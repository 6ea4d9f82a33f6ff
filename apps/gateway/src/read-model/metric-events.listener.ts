import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import {
  decodeJson,
  ExecutionStore,
  LOGGER,
  type Logger,
  type MetricEvent,
  metricEventSchema,
  NATS_CONNECTION,
  NATS_NAMES,
  type NatsNames,
  parseMessage,
} from '@assemblr/shared';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { completedFromEvent, completedFromRecord } from './latest-state.util';
import { MetricOutcomes } from './metric-outcomes.service';
import { ReadModelService } from './read-model.service';
import type { CompletedResult } from './read-model.types';

/**
 * The one subscription to `metrics.events.>`: a completed run's result (carried by the event, else
 * loaded once from PostgreSQL) is swapped into the read model; a failure is recorded as the newest error; then blocked readers and SSE streams
 * are told (MetricOutcomes).
 */
@Injectable()
export class MetricEventsListener implements OnModuleInit, OnApplicationShutdown {
  private subscription?: Subscription;
  private readonly executionLoads = new Map<string, Promise<CompletedResult | null>>();

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(NATS_NAMES) private readonly names: NatsNames,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly readModel: ReadModelService,
    private readonly executions: ExecutionStore,
    private readonly outcomes: MetricOutcomes,
  ) {}

  onModuleInit(): void {
    this.subscription = this.nc.subscribe(this.names.eventsWildcard, {
      callback: (err, msg) => {
        if (err) return;
        const decoded = decodeJson(msg.data);
        const parsed = decoded.ok ? parseMessage(metricEventSchema, decoded.value) : decoded;
        if (!parsed.ok) {
          this.logger.warn({ subject: msg.subject, errors: parsed.errors }, 'ignoring malformed metric event');
          return;
        }
        this.handle(parsed.value).catch((error: unknown) => this.logger.warn({ err: error, event: parsed.value }, 'could not apply a metric event'));
      },
    });
  }

  onApplicationShutdown(): void {
    this.subscription?.unsubscribe();
  }

  /** Applies one event (exposed for tests). */
  async handle(event: MetricEvent): Promise<void> {
    if (event.type === 'started') return;
    // a load of this metric in flight may predate the event: apply on top of it
    await this.readModel.whenLoaded(event.metricId);
    if (!this.readModel.inspectMetric(event.metricId)) {
      // not cached here: whoever waits for it reads it from PostgreSQL
    } else if (event.type === 'completed') {
      const completed = completedFromEvent(event) ?? (await this.loadCompleted(event.executionId));
      if (completed) this.readModel.applyCompleted(event.metricId, completed);
    } else {
      const at = new Date(event.completedAt ?? Date.now());
      this.readModel.applyFailure(event.metricId, { executionId: event.executionId, at, message: event.error ?? 'the run failed' });
    }
    this.outcomes.emit({ metricId: event.metricId, type: event.type, executionId: event.executionId });
  }

  private loadCompleted(executionId: string): Promise<CompletedResult | null> {
    let load = this.executionLoads.get(executionId);
    if (!load) {
      load = this.executions.getExecution(executionId).then((record) => (record ? completedFromRecord(record) : null));
      this.executionLoads.set(executionId, load);
      void load.catch(() => undefined).finally(() => this.executionLoads.delete(executionId));
    }
    return load;
  }
}
