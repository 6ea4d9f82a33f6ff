import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { ensureRunStream, NATS_CONNECTION, NATS_NAMES, type NatsNames, type RunRequest } from '@assemblr/shared';
import { type PipelinedMessage, PipelinedPublisher } from './pipelined-publisher';

export interface ScheduledRun {
  metricId: string;
  slot: Date;
}

/** `published`: a new request is queued; `duplicate`: the stream already held this slot's request. */
export type PublishOutcome = 'published' | 'duplicate';

/** The JetStream message id of a scheduled run: one request per metric and slot, however many replicas ask. */
export const scheduledRunMsgId = (run: ScheduledRun, slotIso = run.slot.toISOString()): string => `${run.metricId}:${slotIso}`;

/** How long a window waits for its acks before the batch rolls back. */
const ACK_TIMEOUT_MS = 5_000;

/** Publishes scheduled run requests to the run stream (created at start if missing). */
@Injectable()
export class RunRequestPublisher implements OnModuleInit, OnModuleDestroy {
  private readonly pipeline: PipelinedPublisher;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(NATS_NAMES) private readonly names: NatsNames,
  ) {
    this.pipeline = new PipelinedPublisher(nc, ACK_TIMEOUT_MS);
  }

  async onModuleInit(): Promise<void> {
    await ensureRunStream(await jetstreamManager(this.nc), this.names);
    this.pipeline.start();
  }

  onModuleDestroy(): void {
    this.pipeline.stop();
  }

  /**
   * Publishes every run, `window` at a time: a window's publishes are written in one synchronous loop
   * (one socket write) and their acks awaited together, so acks are pipelined rather than one round
   * trip each. Rejects when any publish fails or is not acked within ACK_TIMEOUT_MS: the caller rolls
   * back, and the retry reuses the same message ids, so requests that did land are not doubled.
   */
  async publishAll(runs: readonly ScheduledRun[], requestedAt: Date, window: number): Promise<PublishOutcome[]> {
    const outcomes: PublishOutcome[] = [];
    const at = requestedAt.toISOString();
    for (let start = 0; start < runs.length; start += window) {
      const acks = await this.pipeline.publishWindow(runs.slice(start, start + window).map((run) => this.message(run, at)));
      for (const ack of acks) outcomes.push(ack.duplicate ? 'duplicate' : 'published');
    }
    return outcomes;
  }

  private message(run: ScheduledRun, requestedAt: string): PipelinedMessage {
    const slot = run.slot.toISOString();
    const request: RunRequest = { requestId: randomUUID(), metricId: run.metricId, triggeredBy: 'system', reason: 'schedule', requestedAt, slot };
    return { subject: this.names.runSubject(run.metricId), data: JSON.stringify(request), msgId: scheduledRunMsgId(run, slot) };
  }
}
