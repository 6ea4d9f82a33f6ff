import { Inject, Injectable } from '@nestjs/common';
import { JetStreamApiCodes, JetStreamApiError, type JetStreamManager, jetstreamManager } from '@nats-io/jetstream';
import { type KV, Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { NATS_CONNECTION, NATS_NAMES, type NatsNames } from '@assemblr/shared';
import { mapWithConcurrency } from './concurrency.util';

/**
 * Reads the executors' single-flight leases (`metric_leases`, keyed by metric id) to skip metrics
 * that are running right now. Read-only: the bucket belongs to the executors, who create it with
 * their lease TTL; until one has, nothing can be held.
 */
@Injectable()
export class LeaseReaderService {
  private bucket: KV | undefined;
  private jsm: JetStreamManager | undefined;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(NATS_NAMES) private readonly names: NatsNames,
  ) {}

  /** The ids among `metricIds` whose lease is held now. */
  async heldAmong(metricIds: readonly string[], concurrency: number): Promise<Set<string>> {
    const held = new Set<string>();
    if (metricIds.length === 0) return held;
    const bucket = await this.open();
    if (!bucket) return held;
    await mapWithConcurrency(metricIds, concurrency, async (id) => {
      // An expired lease is gone (max_age); a released one reads as a DEL marker.
      const entry = await bucket.get(id);
      if (entry?.operation === 'PUT') held.add(id);
    });
    return held;
  }

  private async open(): Promise<KV | undefined> {
    if (this.bucket) return this.bucket;
    this.jsm ??= await jetstreamManager(this.nc);
    try {
      const info = await this.jsm.streams.info(`KV_${this.names.leasesBucket}`);
      this.bucket = await new Kvm(this.nc).open(this.names.leasesBucket, { allow_direct: info.config.allow_direct });
      return this.bucket;
    } catch (err) {
      if (err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamNotFound) return undefined;
      throw err;
    }
  }
}
