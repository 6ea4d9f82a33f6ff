import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { decodeJson, LOGGER, type Logger, NATS_CONNECTION, NATS_NAMES, type NatsNames, parseMessage } from '@assemblr/shared';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { z } from 'zod';

export const CHANGE_KINDS = ['metric', 'dashboard', 'data_source'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

const changeSchema = z.object({ kind: z.enum(CHANGE_KINDS), id: z.string().min(1).max(100) });
export type Change = z.infer<typeof changeSchema>;

/**
 * Definition changes (metric, dashboard, data source): applied to this replica's caches at once and
 * broadcast on `changedSubject(kind, id)` so other gateway replicas (and anyone else) drop theirs.
 */
@Injectable()
export class ChangeBus implements OnModuleInit, OnApplicationShutdown {
  private readonly listeners = new Set<(change: Change) => void>();
  private subscription?: Subscription;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(NATS_NAMES) private readonly names: NatsNames,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    this.subscription = this.nc.subscribe(this.names.changedWildcard, {
      callback: (err, msg) => {
        if (err) return;
        const decoded = decodeJson(msg.data);
        const parsed = decoded.ok ? parseMessage(changeSchema, decoded.value) : decoded;
        if (!parsed.ok) {
          this.logger.warn({ subject: msg.subject, errors: parsed.errors }, 'ignoring malformed change message');
          return;
        }
        this.emit(parsed.value);
      },
    });
  }

  onApplicationShutdown(): void {
    this.subscription?.unsubscribe();
  }

  /** Registers a listener; returns its removal. */
  onChange(listener: (change: Change) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Announces a committed change: local caches first (read-your-writes), then the other replicas. */
  announce(kind: ChangeKind, id: string): void {
    this.emit({ kind, id });
    try {
      this.nc.publish(this.names.changedSubject(kind, id), JSON.stringify({ kind, id }));
    } catch (err) {
      // other replicas then catch up through revalidation
      this.logger.warn({ err, kind, id }, 'could not broadcast a change');
    }
  }

  /** Applies a change to this replica's caches only (the database told every replica itself). */
  applyLocal(change: Change): void {
    this.emit(change);
  }

  private emit(change: Change): void {
    for (const listener of this.listeners) listener(change);
  }
}
