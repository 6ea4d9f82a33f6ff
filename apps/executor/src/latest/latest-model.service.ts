import { performance } from 'node:perf_hooks';
import { Inject, Injectable } from '@nestjs/common';
import type { KV } from '@nats-io/kv';
import { CLOCK, type Clock, ExecutionStore, type LatestRecord, latestRecordSchema, LOGGER, type Logger } from '@assemblr/shared';
import { EXECUTOR_STORE, LATEST_BUCKET } from '../executor.tokens';
import { isWrongSequence } from '../leases/lease.service';
import { type LatestChange, latestFromOutcomes, mergeLatest, outcomeSignature, sameOutcomes } from './latest-record.util';

interface Known {
  revision: number;
  record: LatestRecord;
}

const MAX_CACHED = 10_000;
const MAX_ATTEMPTS = 5;
/** How long an entry seen to agree with Postgres is trusted for the same outcomes before it is read again. */
const RECHECK_MS = 30_000;

/**
 * Writes the `metric_latest` read model after each Postgres commit, compare-and-set on the KV revision.
 * It remembers the revision it last wrote, so a metric's next write is one round trip unless another
 * replica wrote in between (then it re-reads and merges).
 */
@Injectable()
export class LatestModelService {
  private readonly known = new Map<string, Known>();
  private readonly checked = new Map<string, { signature: string; at: number }>();

  constructor(
    @Inject(LATEST_BUCKET) private readonly kv: KV,
    @Inject(EXECUTOR_STORE) private readonly store: ExecutionStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async record(metricId: string, change: LatestChange): Promise<void> {
    let base: Known | null = this.known.get(metricId) ?? null;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      // With no entry at all, a failure alone would hide the completed result: start from Postgres.
      if (!base && !change.completed) return void (await this.rebuild(metricId));
      const next = mergeLatest(base?.record ?? null, metricId, change, this.clock.now());
      if (!next) return;
      try {
        const payload = JSON.stringify(next);
        const revision = base ? await this.kv.update(metricId, payload, base.revision) : await this.kv.create(metricId, payload);
        this.remember(metricId, { revision, record: next });
        return;
      } catch (err) {
        if (!isWrongSequence(err)) throw err;
        base = await this.readEntry(metricId);
      }
    }
    this.logger.warn({ metricId }, 'metric_latest kept changing under us; rebuilding it from Postgres');
    await this.rebuild(metricId);
  }

  /**
   * Repairs entries that disagree with `truth` (what Postgres said a moment ago, e.g. after an operator's
   * hand edit, or an entry that was never written). A metric whose entry agreed with the same outcomes is
   * not looked at again for RECHECK_MS, so bursts of readers cost no KV traffic.
   */
  async reconcile(truth: readonly LatestRecord[]): Promise<void> {
    const now = performance.now();
    const due = truth.filter((record) => {
      const seen = this.checked.get(record.metricId);
      if (seen && seen.signature === outcomeSignature(record) && now - seen.at < RECHECK_MS) return false;
      // claimed before the await: concurrent readers of the same metric do not repair it twice
      this.markChecked(record, now);
      return true;
    });
    await Promise.all(due.map((record) => this.repair(record)));
  }

  /** Replaces the entry with what Postgres says (CAS against whatever is there). */
  async rebuild(metricId: string): Promise<LatestRecord> {
    let record: LatestRecord | null = null;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      // Read the entry before Postgres: a run committing meanwhile writes after our read, so our CAS fails and we retry.
      const entry = await this.kv.get(metricId);
      record = (await this.fromPostgres([metricId])).get(metricId)!;
      try {
        const payload = JSON.stringify(record);
        const revision = entry ? await this.kv.update(metricId, payload, entry.revision) : await this.kv.create(metricId, payload);
        this.remember(metricId, { revision, record });
        return record;
      } catch (err) {
        if (!isWrongSequence(err)) throw err;
      }
    }
    return record!;
  }

  private async repair(record: LatestRecord): Promise<void> {
    try {
      const entry = await this.readEntry(record.metricId);
      if (entry && sameOutcomes(entry.record, record)) return;
      this.logger.info({ metricId: record.metricId }, 'metric_latest disagreed with Postgres; rebuilding it');
      this.markChecked(await this.rebuild(record.metricId), performance.now());
    } catch (err) {
      this.checked.delete(record.metricId); // look again next time
      throw err;
    }
  }

  private async fromPostgres(metricIds: string[]): Promise<Map<string, LatestRecord>> {
    return latestFromOutcomes(metricIds, await this.store.getLatestOutcomes(metricIds), this.clock.now());
  }

  private markChecked(record: LatestRecord, at: number): void {
    this.checked.delete(record.metricId);
    if (this.checked.size >= MAX_CACHED) this.checked.delete(this.checked.keys().next().value!);
    this.checked.set(record.metricId, { signature: outcomeSignature(record), at });
  }

  private async readEntry(metricId: string): Promise<Known | null> {
    const entry = await this.kv.get(metricId);
    if (!entry || entry.operation !== 'PUT') return null;
    try {
      const parsed = latestRecordSchema.safeParse(entry.json());
      return parsed.success ? { revision: entry.revision, record: parsed.data } : null;
    } catch {
      return null;
    }
  }

  private remember(metricId: string, known: Known): void {
    this.known.delete(metricId);
    if (this.known.size >= MAX_CACHED) this.known.delete(this.known.keys().next().value!);
    this.known.set(metricId, known);
  }
}
