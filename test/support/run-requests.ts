import { randomUUID } from 'node:crypto';
import { jetstream } from '@nats-io/jetstream';
import { headers, type NatsConnection } from '@nats-io/transport-node';
import type { MetricEvent, RunRequest } from '../../libs/shared/src/nats/messages';
import type { NatsNames } from '../../libs/shared/src/nats/nats-names';

/** A valid manual run request for `metricId` (override any field). */
export function runRequest(metricId: string, overrides: Partial<RunRequest> = {}): RunRequest {
  return { requestId: randomUUID(), metricId, triggeredBy: 'user', reason: 'manual', requestedAt: new Date().toISOString(), ...overrides };
}

/** Publishes a run request to the run stream (with an optional `Nats-Msg-Id`); resolves on the stream's ack. */
export async function publishRunRequest(nc: NatsConnection, names: NatsNames, request: RunRequest | string, msgId?: string): Promise<void> {
  const body = typeof request === 'string' ? request : JSON.stringify(request);
  const subject = typeof request === 'string' ? names.runSubject(randomUUID()) : names.runSubject(request.metricId);
  const h = headers();
  if (msgId) h.set('Nats-Msg-Id', msgId);
  await jetstream(nc).publish(subject, body, { headers: h });
}

/** Collects metric events (all metrics) until `stop()`. */
export function collectEvents(nc: NatsConnection, names: NatsNames): { events: MetricEvent[]; stop(): void; next(match: (e: MetricEvent) => boolean, timeoutMs?: number): Promise<MetricEvent> } {
  const events: MetricEvent[] = [];
  const waiters: { match: (e: MetricEvent) => boolean; resolve: (e: MetricEvent) => void }[] = [];
  const sub = nc.subscribe(names.eventsWildcard, {
    callback: (_err, msg) => {
      const event = msg.json<MetricEvent>();
      events.push(event);
      for (const w of [...waiters]) {
        if (!w.match(event)) continue;
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(event);
      }
    },
  });
  return {
    events,
    stop: () => sub.unsubscribe(),
    next: (match, timeoutMs = 10_000) => {
      const seen = events.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no matching metric event in time')), timeoutMs);
        waiters.push({
          match,
          resolve: (e) => {
            clearTimeout(timer);
            resolve(e);
          },
        });
      });
    },
  };
}
