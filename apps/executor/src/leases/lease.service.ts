import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';
import type { KV } from '@nats-io/kv';
import type { ExecutorConfig } from '../executor.config';
import { EXECUTOR_CONFIG, LEASE_BUCKET, WORKER_ID } from '../executor.tokens';
import { decodeLease, encodeLease, type LeaseValue } from './lease.util';

export type AcquireResult = { acquired: true; lease: Lease } | { acquired: false; holder: LeaseValue | null };

/**
 * A held lease: compare-and-set on its revision, so a lease that expired and was taken over fails loudly.
 * Operations run one at a time (a renewal racing the release would otherwise fail on our own revision).
 */
export class Lease {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly kv: KV,
    readonly metricId: string,
    private readonly value: LeaseValue & { executionId: string },
    private revision: number,
    private readonly onRelease: () => void = () => undefined,
  ) {}

  get current(): Readonly<LeaseValue & { executionId: string }> {
    return this.value;
  }

  /** Extends the lease by its TTL (an update writes a new entry); throws when it is no longer ours. */
  renew(): Promise<void> {
    return this.serial(async () => {
      this.revision = await this.kv.update(this.metricId, encodeLease(this.value), this.revision);
    });
  }


  /** Deletes the key only if it is still ours; a lease already lost is left to its new holder. */
  release(): Promise<void> {
    this.onRelease();
    return this.serial(() => this.kv.delete(this.metricId, { previousSeq: this.revision }));
  }

  private serial<T>(op: () => Promise<T>): Promise<T> {
    const next = this.queue.then(op, op);
    this.queue = next.catch(() => undefined);
    return next;
  }
}

const MAX_HINTS = 50_000;

/** Single-flight leases in the `metric_leases` bucket (TTL = lease time), keyed by metric id. */
@Injectable()
export class LeaseService {
  /** Metrics whose key probably exists (held, or a delete marker still inside the TTL): read before writing. */
  private readonly keyHints = new Map<string, number>();

  constructor(
    @Inject(LEASE_BUCKET) private readonly kv: KV,
    @Inject(WORKER_ID) private readonly workerId: string,
    @Inject(EXECUTOR_CONFIG) private readonly config: ExecutorConfig,
  ) {}

  /**
   * `kv.create` semantics — succeeds only if the key is absent or deleted — written out so that a held
   * lease costs one `get`, which also tells us who holds it (kv.create would get it too, then throw), and
   * so that a key known to exist skips the doomed first write.
   */
  async acquire(metricId: string, streamSeq: number): Promise<AcquireResult> {
    const value = { workerId: this.workerId, executionId: randomUUID(), acquiredAt: new Date().toISOString(), streamSeq };
    const payload = encodeLease(value);
    if (!this.keyProbablyExists(metricId)) {
      const revision = await this.tryPut(metricId, payload, 0);
      if (revision !== null) return { acquired: true, lease: this.lease(metricId, value, revision) };
    }
    const entry = await this.kv.get(metricId);
    this.hintKey(metricId);
    if (entry?.operation === 'PUT') return { acquired: false, holder: decodeLease(entry.value) };
    const revision = await this.tryPut(metricId, payload, entry?.revision ?? 0);
    // null: someone else got it between our get and put
    return revision === null ? { acquired: false, holder: null } : { acquired: true, lease: this.lease(metricId, value, revision) };
  }

  private async tryPut(metricId: string, payload: string, previousSeq: number): Promise<number | null> {
    try {
      return await this.kv.put(metricId, payload, { previousSeq });
    } catch (err) {
      if (isWrongSequence(err)) return null;
      throw err;
    }
  }

  private lease(metricId: string, value: LeaseValue & { executionId: string }, revision: number): Lease {
    return new Lease(this.kv, metricId, value, revision, () => this.hintKey(metricId));
  }

  private keyProbablyExists(metricId: string): boolean {
    const until = this.keyHints.get(metricId);
    return until !== undefined && until > Date.now();
  }

  private hintKey(metricId: string): void {
    this.keyHints.delete(metricId);
    if (this.keyHints.size >= MAX_HINTS) this.keyHints.delete(this.keyHints.keys().next().value!);
    this.keyHints.set(metricId, Date.now() + this.config.EXECUTOR_LEASE_TTL_MS);
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
