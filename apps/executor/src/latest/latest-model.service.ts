import { Inject, Injectable } from '@nestjs/common';
import type { KV } from '@nats-io/kv';
import { CLOCK, type Clock, ExecutionStore, type LatestRecord, latestRecordSchema, LOGGER, type Logger } from '@assemblr/shared';
import { LATEST_BUCKET } from '../executor.tokens';
import { isWrongSequence } from '../leases/lease.service';
import { type LatestChange, latestFromRecords, mergeLatest } from './latest-record.util';

interface Known {
  revision: number;
  record: LatestRecord;
}

const MAX_CACHED = 10_000;
const MAX_ATTEMPTS = 5;

/**
 * Writes the `metric_latest` read model after each Postgres commit, compare-and-set on the KV revision.
 * It remembers the revision it last wrote, so a metric's next write is one round trip unless another
 * replica wrote in between (then it re-reads and merges).
 */
@Injectable()
export class LatestModelService {
  private readonly known = new Map<string, Known>();

  constructor(
    @Inject(LATEST_BUCKET) private readonly kv: KV,
    private readonly store: ExecutionStore,
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

  /** The read model of many metrics; a missing (or unreadable) entry is rebuilt from Postgres and written. */
  async read(metricIds: readonly string[]): Promise<Map<string, LatestRecord>> {
    const out = new Map<string, LatestRecord>();
    const missing: string[] = [];
    await Promise.all(
      metricIds.map(async (id) => {
        const known = await this.readEntry(id);
        if (known) out.set(id, known.record);
        else missing.push(id);
      }),
    );
    if (missing.length) for (const [id, record] of await this.fromPostgres(missing)) out.set(id, record);
    await Promise.all(missing.map((id) => this.writeIfAbsent(out.get(id)!)));
    return out;
  }

  /** Replaces the entry with what Postgres says (CAS against whatever is there). */
  async rebuild(metricId: string): Promise<LatestRecord> {
    const record = (await this.fromPostgres([metricId])).get(metricId)!;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const entry = await this.kv.get(metricId);
      try {
        const payload = JSON.stringify(record);
        const revision = entry ? await this.kv.update(metricId, payload, entry.revision) : await this.kv.create(metricId, payload);
        this.remember(metricId, { revision, record });
        return record;
      } catch (err) {
        if (!isWrongSequence(err)) throw err;
      }
    }
    return record;
  }

  private async fromPostgres(metricIds: string[]): Promise<Map<string, LatestRecord>> {
    const now = this.clock.now();
    const out = new Map<string, LatestRecord>();
    await Promise.all(
      metricIds.map(async (id) => {
        const [completed, failed] = await Promise.all([this.store.getLatestExecution(id), this.store.getLatestFailure(id, null)]);
        out.set(id, latestFromRecords(id, completed, failed, now));
      }),
    );
    return out;
  }

  private async writeIfAbsent(record: LatestRecord): Promise<void> {
    try {
      this.remember(record.metricId, { revision: await this.kv.create(record.metricId, JSON.stringify(record)), record });
    } catch (err) {
      if (!isWrongSequence(err)) throw err; // written meanwhile by a run: that one is newer
    }
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
