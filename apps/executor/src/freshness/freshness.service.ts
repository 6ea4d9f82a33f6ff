import { Inject, Injectable } from '@nestjs/common';
import {
  CLOCK,
  type Clock,
  type ExecutionPolicy,
  ExecutionStore,
  type FreshnessReply,
  type LatestRecord,
  LOGGER,
  type Logger,
  storedExecutionPolicy,
} from '@assemblr/shared';
import { DataSource } from 'typeorm';
import { EXECUTOR_STORE } from '../executor.tokens';
import { LatestModelService } from '../latest/latest-model.service';
import { latestFromOutcomes } from '../latest/latest-record.util';
import { LeaseService } from '../leases/lease.service';
import { freshnessItem } from './freshness.util';

/** Policies change rarely; a few seconds of staleness keeps chat's bursts off Postgres. */
const POLICY_CACHE_MS = 5_000;

/**
 * Freshness of many metrics from PostgreSQL (one indexed query per request, so an operator's hand edit of
 * `completed_at` counts at once), each metric's policy and its lease. The `metric_latest` read model is
 * repaired in the background when it disagrees with what Postgres said.
 */
@Injectable()
export class FreshnessService {
  private readonly policies = new Map<string, { policy: ExecutionPolicy | null; until: number }>();

  constructor(
    private readonly db: DataSource,
    @Inject(EXECUTOR_STORE) private readonly store: ExecutionStore,
    private readonly latest: LatestModelService,
    private readonly leases: LeaseService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async assess(metricIds: readonly string[]): Promise<FreshnessReply> {
    const ids = [...new Set(metricIds)];
    const [policies, latest] = await Promise.all([this.policiesOf(ids), this.latestOf(ids)]);
    const known = ids.filter((id) => policies.get(id));
    const running = await this.runningOf(known);
    const now = this.clock.now();
    // off the reply path: a failed repair only means the read model stays wrong a little longer
    this.latest.reconcile(known.map((id) => latest.get(id)!)).catch((err: unknown) => this.logger.warn({ err: String(err) }, 'metric_latest could not be repaired'));
    return {
      metrics: metricIds.map((id) => freshnessItem(id, policies.get(id) ?? null, latest.get(id) ?? null, running.has(id), now)),
    };
  }

  private async policiesOf(ids: string[]): Promise<Map<string, ExecutionPolicy | null>> {
    const now = Date.now();
    const out = new Map<string, ExecutionPolicy | null>();
    const missing = ids.filter((id) => {
      const cached = this.policies.get(id);
      if (cached && cached.until > now) out.set(id, cached.policy);
      return !(cached && cached.until > now);
    });
    if (missing.length === 0) return out;
    const rows: { id: string; execution_policy: unknown }[] = await this.db.query(`SELECT id, execution_policy FROM metrics WHERE id = ANY($1::uuid[])`, [missing]);
    const found = new Map(rows.map((r) => [r.id, storedExecutionPolicy(r.execution_policy)]));
    if (this.policies.size > 50_000) this.policies.clear();
    for (const id of missing) {
      const policy = found.get(id) ?? null;
      out.set(id, policy);
      this.policies.set(id, { policy, until: now + POLICY_CACHE_MS });
    }
    return out;
  }

  /** Latest completed execution and newest failure of each metric, as Postgres has them right now. */
  private async latestOf(ids: string[]): Promise<Map<string, LatestRecord>> {
    return latestFromOutcomes(ids, await this.store.getLatestOutcomes(ids), this.clock.now());
  }

  /** A held lease means a run is in progress (or, for a few milliseconds, being decided on). */
  private async runningOf(ids: string[]): Promise<Set<string>> {
    const running = new Set<string>();
    await Promise.all(
      ids.map(async (id) => {
        const holder = await this.leases.holder(id);
        if (holder.value?.executionId) running.add(id);
      }),
    );
    return running;
  }
}
