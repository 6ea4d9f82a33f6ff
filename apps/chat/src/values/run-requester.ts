import { Inject, Injectable } from '@nestjs/common';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import {
  CLOCK,
  type Clock,
  decodeJson,
  ExecutionStore,
  LOGGER,
  type Logger,
  metricEventSchema,
  NATS_CONNECTION,
  NATS_NAMES,
  type NatsNames,
  parseMessage,
  type RunReason,
  RunRequestPublisher,
} from '@assemblr/shared';

export type RunResult =
  | { kind: 'completed'; executionId: string }
  | { kind: 'failed'; executionId: string; message: string; at: Date }
  | { kind: 'timeout' }
  | { kind: 'not_requested' };

/** What the caller already knew of the metric, so that a run finishing in between is recognised. */
export interface KnownExecutions {
  completedId: string | null;
  failureId: string | null;
}

/** Requests runs on the METRIC_RUNS stream and, when asked, waits for their outcome event. */
@Injectable()
export class RunRequester {
  private readonly publisher: RunRequestPublisher;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(NATS_NAMES) private readonly names: NatsNames,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly store: ExecutionStore,
  ) {
    this.publisher = new RunRequestPublisher(nc, names, clock);
  }

  /**
   * Publishes a run request (creating the run stream if no executor has yet); `msgId` dedupes it inside
   * the stream's window. False if it failed.
   */
  async request(metricId: string, reason: Extract<RunReason, 'stale_refresh' | 'cold_load'>, msgId: string): Promise<boolean> {
    try {
      // 'system' like the gateway's reads: the person asked a question, not for a run.
      await this.publisher.publish(metricId, { triggeredBy: 'system', reason, msgId });
      return true;
    } catch (err) {
      this.logger.warn({ err: String(err), metricId, reason }, 'run request could not be published');
      return false;
    }
  }

  /**
   * Requests a run and waits up to `waitMs` for the next `completed`/`failed` event of the metric. The
   * subscription starts before the request, so a quick run is not missed; a run that finished before
   * the subscription is found by one look at PostgreSQL.
   */
  async requestAndAwait(metricId: string, msgId: string, known: KnownExecutions, waitMs: number): Promise<RunResult> {
    const events = this.nc.subscribe(this.names.eventsSubject(metricId));
    let timer: NodeJS.Timeout | undefined;
    try {
      const finished = this.firstFinishedEvent(events);
      if (!(await this.request(metricId, 'cold_load', msgId))) return { kind: 'not_requested' };
      const timeout = new Promise<RunResult>((resolve) => {
        timer = setTimeout(() => resolve({ kind: 'timeout' }), waitMs);
      });
      return await Promise.race([finished, this.finishedMeanwhile(metricId, known), timeout]);
    } finally {
      clearTimeout(timer);
      events.unsubscribe();
    }
  }

  private async firstFinishedEvent(events: Subscription): Promise<RunResult> {
    for await (const msg of events) {
      const decoded = decodeJson(msg.data);
      const parsed = decoded.ok ? parseMessage(metricEventSchema, decoded.value) : decoded;
      if (!parsed.ok) continue;
      const event = parsed.value;
      if (event.type === 'completed') return { kind: 'completed', executionId: event.executionId };
      if (event.type === 'failed') {
        return { kind: 'failed', executionId: event.executionId, message: event.error ?? 'the run failed', at: new Date(event.completedAt ?? this.clock.now()) };
      }
    }
    return new Promise<RunResult>(() => undefined); // unsubscribed: the timeout answers
  }

  /** Resolves only if an execution finished that the caller did not know of; otherwise never. */
  private async finishedMeanwhile(metricId: string, known: KnownExecutions): Promise<RunResult> {
    const never = new Promise<RunResult>(() => undefined);
    try {
      const latest = await this.store.getLatestFinished(metricId);
      if (!latest || latest.id === known.completedId || latest.id === known.failureId || !latest.completedAt) return never;
      if (latest.status === 'completed') return { kind: 'completed', executionId: latest.id };
      return { kind: 'failed', executionId: latest.id, message: latest.error ?? 'the run failed', at: latest.completedAt };
    } catch {
      return never;
    }
  }
}
