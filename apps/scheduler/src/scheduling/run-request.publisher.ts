import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { jetstream, type JetStreamClient, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { ensureRunStream, NATS_CONNECTION, NATS_NAMES, type NatsNames, type RunRequest } from '@assemblr/shared';

export interface ScheduledRun {
  metricId: string;
  slot: Date;
}

/** `published`: a new request is queued; `duplicate`: the stream already held this slot's request. */
export type PublishOutcome = 'published' | 'duplicate';

/** The JetStream message id of a scheduled run: one request per metric and slot, however many replicas ask. */
export const scheduledRunMsgId = (run: ScheduledRun, slotIso = run.slot.toISOString()): string => `${run.metricId}:${slotIso}`;

/** Publishes scheduled run requests to the run stream (created at start if missing). */
@Injectable()
export class RunRequestPublisher implements OnModuleInit {
  private readonly js: JetStreamClient;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(NATS_NAMES) private readonly names: NatsNames,
  ) {
    this.js = jetstream(nc);
  }

  async onModuleInit(): Promise<void> {
    await ensureRunStream(await jetstreamManager(this.nc), this.names);
  }

  /**
   * Publishes every run, `window` at a time: a window's publishes are written in one synchronous loop
   * (one socket write) and their acks awaited together, so acks are pipelined rather than one round
   * trip each. Rejects when any publish fails: the caller rolls back, and the retry reuses the same
   * message ids, so requests that did land are not doubled.
   */
  async publishAll(runs: readonly ScheduledRun[], requestedAt: Date, window: number): Promise<PublishOutcome[]> {
    const outcomes: PublishOutcome[] = [];
    const at = requestedAt.toISOString();
    for (let start = 0; start < runs.length; start += window) {
      const acks = runs.slice(start, start + window).map((run) => this.publish(run, at));
      for (const settled of await Promise.allSettled(acks)) {
        if (settled.status === 'rejected') throw settled.reason;
        outcomes.push(settled.value);
      }
    }
    return outcomes;
  }

  private async publish(run: ScheduledRun, requestedAt: string): Promise<PublishOutcome> {
    const slot = run.slot.toISOString();
    const request: RunRequest = { requestId: randomUUID(), metricId: run.metricId, triggeredBy: 'system', reason: 'schedule', requestedAt, slot };
    const ack = await this.js.publish(this.names.runSubject(run.metricId), JSON.stringify(request), { msgID: scheduledRunMsgId(run, slot) });
    return ack.duplicate ? 'duplicate' : 'published';
  }
}
