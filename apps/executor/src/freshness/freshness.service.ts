import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock, type ExecutionPolicy, type FreshnessReply, storedExecutionPolicy } from '@assemblr/shared';
import { DataSource } from 'typeorm';
import { LatestModelService } from '../latest/latest-model.service';
import { LeaseService } from '../leases/lease.service';
import { freshnessItem } from './freshness.util';

/** Policies change rarely; a few seconds of staleness keeps chat's bursts off Postgres. */
const POLICY_CACHE_MS = 5_000;

/** Freshness of many metrics from the `metric_latest` read model, each metric's policy and its lease. */
@Injectable()
export class FreshnessService {
  private readonly policies = new Map<string, { policy: ExecutionPolicy | null; until: number }>();

  constructor(
    private readonly db: DataSource,
    private readonly latest: LatestModelService,
    private readonly leases: LeaseService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async assess(metricIds: readonly string[]): Promise<FreshnessReply> {
    const ids = [...new Set(metricIds)];
    const policies = await this.policiesOf(ids);
    const known = ids.filter((id) => policies.get(id));
    const [latest, running] = await Promise.all([this.latest.read(known), this.runningOf(known)]);
    const now = this.clock.now();
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
