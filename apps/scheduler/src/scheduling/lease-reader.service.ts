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
  private jsm: JetStreamManager | undefined;
  private bucket: KV | undefined;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(NATS_NAMES) private readonly names: NatsNames,
  ) {}

  /**
   * The ids among `metricIds` whose lease is held now. One stream-info call lists the keys that have
   * any entry (held leases, and release markers until the bucket's TTL drops them); only those are
   * read one by one, so a batch of due metrics that are not running costs one round trip, not one each.
   */
  async heldAmong(metricIds: readonly string[], concurrency: number): Promise<Set<string>> {
    const held = new Set<string>();
    if (metricIds.length === 0) return held;
    const keys = await this.keysWithEntries();
    const candidates = metricIds.filter((id) => keys.has(id));
    if (candidates.length === 0) return held;
    const bucket = (this.bucket ??= await new Kvm(this.nc).open(this.names.leasesBucket));
    await mapWithConcurrency(candidates, concurrency, async (id) => {
      // An expired lease is gone (max_age); a released one reads as a DEL marker.
      const entry = await bucket.get(id);
      if (entry?.operation === 'PUT') held.add(id);
    });
    return held;
  }

  private async keysWithEntries(): Promise<Set<string>> {
    this.jsm ??= await jetstreamManager(this.nc);
    const prefix = `$KV.${this.names.leasesBucket}.`;
    try {
      const info = await this.jsm.streams.info(`KV_${this.names.leasesBucket}`, { subjects_filter: `${prefix}>` });
      return new Set(Object.keys(info.state.subjects ?? {}).map((subject) => subject.slice(prefix.length)));
    } catch (err) {
      if (err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamNotFound) return new Set();
      throw err;
    }
  }
}
