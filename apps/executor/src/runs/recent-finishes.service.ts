import { Inject, Injectable, type OnApplicationBootstrap, type BeforeApplicationShutdown } from '@nestjs/common';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { decodeJson, metricEventSchema, NATS_CONNECTION, NATS_NAMES, type NatsNames, parseMessage } from '@assemblr/shared';

const MAX_REMEMBERED = 50_000;

/**
 * The newest completion seen per metric, from this replica's runs and every replica's `completed` events:
 * a cheap early exit for requests some run has already answered, before any lease or query. Only ever
 * says "answered" for a run that really finished after the request; Postgres decides everything else.
 */
@Injectable()
export class RecentFinishes implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly finishedAt = new Map<string, number>();
  private subscription?: Subscription;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(NATS_NAMES) private readonly names: NatsNames,
  ) {}

  onApplicationBootstrap(): void {
    this.subscription = this.nc.subscribe(this.names.eventsWildcard, {
      callback: (err, msg) => {
        if (err) return;
        const decoded = decodeJson(msg.data);
        const event = decoded.ok ? parseMessage(metricEventSchema, decoded.value) : decoded;
        if (event.ok && event.value.type === 'completed' && event.value.completedAt) this.note(event.value.metricId, new Date(event.value.completedAt));
      },
    });
  }

  note(metricId: string, at: Date): void {
    const known = this.finishedAt.get(metricId);
    if (known !== undefined && known >= at.getTime()) return;
    this.finishedAt.delete(metricId);
    if (this.finishedAt.size >= MAX_REMEMBERED) this.finishedAt.delete(this.finishedAt.keys().next().value!);
    this.finishedAt.set(metricId, at.getTime());
  }

  /** True when a run of the metric finished at or after `requestedAt`. */
  answers(metricId: string, requestedAt: string): boolean {
    const at = this.finishedAt.get(metricId);
    return at !== undefined && at >= Date.parse(requestedAt);
  }

  beforeApplicationShutdown(): void {
    this.subscription?.unsubscribe();
  }
}
