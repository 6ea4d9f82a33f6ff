import { randomUUID } from 'node:crypto';
import { type JetStreamClient, jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Clock } from '../clock';
import { type RunReason, type RunRequest, runRequestSchema, type TriggeredBy } from './messages';
import { ensureRunStream } from './nats-connection';
import type { NatsNames } from './nats-names';

/**
 * `Nats-Msg-Id` of a refresh asked for because the result `completedId` is stale: every reader of the
 * same stale result (on any replica, in any service) asks for one run inside the duplicate window.
 */
export function staleRunMsgId(metricId: string, completedId: string | null): string {
  return `${metricId}:stale:${completedId ?? 'none'}`;
}

/**
 * `Nats-Msg-Id` of a blocking (cold) run asked for because the metric is expired or missing, keyed by
 * what the reader saw: a new result or a new failure makes a new key, so the next reader tries again.
 */
export function coldRunMsgId(metricId: string, completedId: string | null, failureId: string | null): string {
  return `${metricId}:cold:${completedId ?? 'none'}:${failureId ?? 'none'}`;
}

/** What a run request says beyond the metric: who asked, why, and how it dedupes. */
export interface RunTrigger {
  triggeredBy: TriggeredBy;
  reason: RunReason;
  /** `Nats-Msg-Id` (dedupe inside the stream's window); the request id when absent (never deduped). */
  msgId?: string;
  /** For scheduled runs: the cron slot. */
  slot?: string;
}

export interface PublishedRunRequest {
  request: RunRequest;
  /** JetStream already held a request with the same msg id: this one was dropped. */
  duplicate: boolean;
}

/**
 * Publishes run requests on `metrics.run.<metricId>` (JetStream). Before its first publish it makes sure
 * the run stream exists (creating it with the defaults when no executor has yet, never changing an
 * existing one's settings); after a failed publish it checks again, so a stream deleted meanwhile comes back.
 */
export class RunRequestPublisher {
  private readonly js: JetStreamClient;
  private stream: Promise<void> | null = null;

  constructor(
    private readonly nc: NatsConnection,
    private readonly names: NatsNames,
    private readonly clock: Clock,
    private readonly timeoutMs = 5_000,
  ) {
    this.js = jetstream(nc, { timeout: timeoutMs });
  }

  /** Creates the run stream if it does not exist (once per publisher unless a publish failed since). */
  ensureStream(): Promise<void> {
    this.stream ??= this.createIfMissing().catch((err: unknown) => {
      this.stream = null;
      throw err;
    });
    return this.stream;
  }

  /** Publishes one validated run request; throws when the stream cannot be made sure of or NATS did not take it. */
  async publish(metricId: string, trigger: RunTrigger): Promise<PublishedRunRequest> {
    const request: RunRequest = runRequestSchema.parse({
      requestId: randomUUID(),
      metricId,
      triggeredBy: trigger.triggeredBy,
      reason: trigger.reason,
      requestedAt: this.clock.now().toISOString(),
      ...(trigger.slot ? { slot: trigger.slot } : {}),
    });
    await this.ensureStream();
    try {
      const ack = await this.js.publish(this.names.runSubject(metricId), JSON.stringify(request), { msgID: trigger.msgId ?? request.requestId, timeout: this.timeoutMs });
      return { request, duplicate: ack.duplicate };
    } catch (err) {
      this.stream = null; // look again before the next publish
      throw err;
    }
  }

  private async createIfMissing(): Promise<void> {
    const jsm = await jetstreamManager(this.nc);
    // never overwrite the executors' settings: only create what is missing
    await jsm.streams.info(this.names.runStream).catch(() => ensureRunStream(jsm, this.names));
  }
}
