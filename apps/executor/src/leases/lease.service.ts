import { Inject, Injectable } from '@nestjs/common';
import { JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';
import type { KV } from '@nats-io/kv';
import { LEASE_BUCKET, WORKER_ID } from '../executor.tokens';
import { decodeLease, encodeLease, type LeaseValue } from './lease.util';

export type AcquireResult = { acquired: true; lease: Lease } | { acquired: false; holder: LeaseValue | null };

/**
 * A held lease: compare-and-set on its revision, so a lease that expired and was taken over fails loudly.
 * Operations run one at a time (a renewal racing `nameExecution` would otherwise fail on our own revision).
 */
export class Lease {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly kv: KV,
    readonly metricId: string,
    private value: LeaseValue,
    private revision: number,
  ) {}

  get current(): Readonly<LeaseValue> {
    return this.value;
  }

  /** Extends the lease by its TTL (an update writes a new entry); throws when it is no longer ours. */
  renew(): Promise<void> {
    return this.serial(async () => {
      this.revision = await this.kv.update(this.metricId, encodeLease(this.value), this.revision);
    });
  }

  /** Names the execution this holder runs (also a renewal): from now on requests coalesce onto it. */
  nameExecution(executionId: string): Promise<void> {
    return this.serial(async () => {
      const next = { ...this.value, executionId };
      this.revision = await this.kv.update(this.metricId, encodeLease(next), this.revision);
      this.value = next;
    });
  }

  /** Deletes the key only if it is still ours; a lease already lost is left to its new holder. */
  release(): Promise<void> {
    return this.serial(() => this.kv.delete(this.metricId, { previousSeq: this.revision }));
  }

  private serial<T>(op: () => Promise<T>): Promise<T> {
    const next = this.queue.then(op, op);
    this.queue = next.catch(() => undefined);
    return next;
  }
}

/** Single-flight leases in the `metric_leases` bucket (TTL = lease time), keyed by metric id. */
@Injectable()
export class LeaseService {
  constructor(
    @Inject(LEASE_BUCKET) private readonly kv: KV,
    @Inject(WORKER_ID) private readonly workerId: string,
  ) {}

  /**
   * `kv.create` semantics — succeeds only if the key is absent or deleted — written out so that a held
   * lease costs one `get`, which also tells us who holds it (kv.create would get it too, then throw).
   */
  async acquire(metricId: string, streamSeq: number): Promise<AcquireResult> {
    const value: LeaseValue = { workerId: this.workerId, acquiredAt: new Date().toISOString(), streamSeq };
    const payload = encodeLease(value);
    try {
      const revision = await this.kv.put(metricId, payload, { previousSeq: 0 });
      return { acquired: true, lease: new Lease(this.kv, metricId, value, revision) };
    } catch (err) {
      if (!isWrongSequence(err)) throw err;
    }
    const entry = await this.kv.get(metricId);
    if (!entry || entry.operation !== 'PUT') {
      try {
        const revision = await this.kv.put(metricId, payload, { previousSeq: entry?.revision ?? 0 });
        return { acquired: true, lease: new Lease(this.kv, metricId, value, revision) };
      } catch (err) {
        if (!isWrongSequence(err)) throw err;
        return { acquired: false, holder: null }; // someone else got it between our get and put
      }
    }
    return { acquired: false, holder: decodeLease(entry.value) };
  }

  /** The current holder of a metric's lease, or null when it is free (for the reaper and freshness). */
  async holder(metricId: string): Promise<{ held: boolean; value: LeaseValue | null }> {
    const entry = await this.kv.get(metricId);
    if (!entry || entry.operation !== 'PUT') return { held: false, value: null };
    return { held: true, value: decodeLease(entry.value) };
  }
}

export function isWrongSequence(err: unknown): boolean {
  return (
    err instanceof JetStreamApiError &&
    (err.code === JetStreamApiCodes.StreamWrongLastSequence || err.code === JetStreamApiCodes.StreamWrongLastSequenceUnknown)
  );
}
