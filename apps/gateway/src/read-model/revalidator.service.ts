import { performance } from 'node:perf_hooks';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { LOGGER, type Logger } from '@assemblr/shared';
import type { GatewayConfig } from '../gateway.config';
import { GATEWAY_CONFIG } from '../gateway.tokens';
import { sameLatest } from './latest-state.util';
import { MetricOutcomes } from './metric-outcomes.service';
import { type LatestHead, ReadModelRepository } from './read-model.repository';
import { ReadModelService } from './read-model.service';
import type { LatestState, MetricEntry } from './read-model.types';

const CHUNK = 500;

/**
 * Every CACHE_REVALIDATE_MS, re-reads the cached metrics' definitions and latest executions (and the
 * cached dashboards) in batched queries and applies what changed: hand edits in PostgreSQL (a moved
 * `completed_at`, an edited `execution_policy`, deleted rows) and runs whose events were missed
 * show within one interval plus the time of the queries.
 */
@Injectable()
export class RevalidatorService implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly readModel: ReadModelService,
    private readonly repository: ReadModelRepository,
    private readonly outcomes: MetricOutcomes,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), this.config.CACHE_REVALIDATE_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One pass (skipped while the previous one still runs). */
  tick(): Promise<void> {
    const startedAt = performance.now();
    this.running ??= this.revalidate()
      .then(() => this.readModel.markRevalidated(startedAt))
      .catch((err: unknown) => this.logger.warn({ err }, 'read model revalidation failed'))
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private async revalidate(): Promise<void> {
    const metricIds = this.readModel.cachedMetricIds();
    for (let i = 0; i < metricIds.length; i += CHUNK) await this.revalidateMetrics(metricIds.slice(i, i + CHUNK));
    const dashboardIds = this.readModel.cachedDashboardIds();
    for (let i = 0; i < dashboardIds.length; i += CHUNK) {
      const chunk = dashboardIds.slice(i, i + CHUNK);
      const found = await this.repository.loadDashboards(chunk);
      for (const id of chunk) this.readModel.reconcileDashboard(id, found.get(id));
    }
  }

  private async revalidateMetrics(ids: string[]): Promise<void> {
    const versions = new Map(ids.map((id) => [id, this.readModel.inspectMetric(id)]).filter((e): e is [string, MetricEntry] => !!e[1]).map(([id, e]) => [id, e.version]));
    const [defs, heads] = await Promise.all([this.repository.loadMetricDefinitions(ids), this.repository.loadLatestHeads(ids)]);
    const changedResults = ids.filter((id) => {
      const head = heads.get(id)?.completed;
      return head && head.executionId !== this.readModel.inspectMetric(id)?.latest.completed?.executionId;
    });
    const results = await this.repository.loadResults(changedResults.map((id) => heads.get(id)!.completed!.executionId));
    for (const [id, version] of versions) {
      const entry = this.readModel.inspectMetric(id);
      if (!entry) continue;
      const latest = this.latestFromHead(entry.latest, heads.get(id), results);
      if (!latest) continue; // its result row vanished between the two queries: next pass
      const before = entry.latest;
      if (this.readModel.reconcileMetric(id, version, defs.get(id), latest)) this.announce(id, before, latest);
    }
  }

  private latestFromHead(current: LatestState, head: LatestHead | undefined, results: Map<string, unknown>): LatestState | null {
    if (!head) return { completed: null, failure: null };
    let completed: LatestState['completed'] = null;
    if (head.completed) {
      const { executionId, completedAt } = head.completed;
      if (current.completed?.executionId === executionId) completed = { ...current.completed, completedAt };
      else if (results.has(executionId)) completed = { executionId, completedAt, result: results.get(executionId) };
      else return null;
    }
    const next = { completed, failure: head.failure };
    return sameLatest(next, current) ? current : next;
  }

  /** A newer run found here (its event was missed) wakes blocked readers and SSE streams like the event would. */
  private announce(metricId: string, before: LatestState, after: LatestState): void {
    if (after.completed && after.completed.executionId !== before.completed?.executionId) {
      this.outcomes.emit({ metricId, type: 'completed', executionId: after.completed.executionId });
    } else if (after.failure && after.failure.executionId !== before.failure?.executionId) {
      this.outcomes.emit({ metricId, type: 'failed', executionId: after.failure.executionId });
    }
  }
}
