import { performance } from 'node:perf_hooks';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { ExecutionStore } from '@assemblr/shared';
import type { GatewayConfig } from '../gateway.config';
import { GATEWAY_CONFIG } from '../gateway.tokens';
import { type Change, ChangeBus } from './change-bus.service';
import { latestFromExecutions, sameLatest, withCompleted, withFailure } from './latest-state.util';
import { LruCache } from './lru-cache';
import { ReadModelRepository } from './read-model.repository';
import type { CompletedResult, DashboardDefinition, FailureInfo, LatestState, MetricDefinition, MetricEntry } from './read-model.types';

const noop = () => undefined;

/**
 * The gateway's in-memory read model: metric definitions with their latest state, and dashboards.
 * Filled from PostgreSQL on a miss (batched, concurrent misses coalesced), kept current by run events
 * and definition changes, and revalidated against PostgreSQL every CACHE_REVALIDATE_MS
 * (see revalidator.service.ts). While the last successful pass started more than two intervals ago,
 * the cache is not trusted and reads go to PostgreSQL: a hand edit is never hidden for longer than
 * 2 × CACHE_REVALIDATE_MS (normally for one interval plus the pass's queries).
 */
@Injectable()
export class ReadModelService implements OnModuleInit {
  private readonly metrics: LruCache<string, MetricEntry>;
  private readonly dashboards: LruCache<string, DashboardDefinition>;
  private readonly metricLoads = new Map<string, Promise<MetricEntry | undefined>>();
  private readonly dashboardLoads = new Map<string, Promise<DashboardDefinition | undefined>>();
  /** Bumped by every invalidation: a load that started before one does not fill the cache. */
  private epoch = 0;
  private lastRevalidatedAt = performance.now();
  private readonly trustMs: number;

  constructor(
    private readonly repository: ReadModelRepository,
    private readonly executions: ExecutionStore,
    private readonly changes: ChangeBus,
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
  ) {
    this.metrics = new LruCache(config.CACHE_MAX_METRICS);
    this.dashboards = new LruCache(config.CACHE_MAX_DASHBOARDS);
    this.trustMs = config.CACHE_REVALIDATE_MS * 2;
  }

  onModuleInit(): void {
    this.changes.onChange((change) => this.invalidate(change));
  }

  /** A cached metric, if the cache may be trusted (no I/O). */
  peekMetric(id: string): MetricEntry | undefined {
    return this.trusted() ? this.metrics.get(id) : undefined;
  }

  peekDashboard(id: string): DashboardDefinition | undefined {
    return this.trusted() ? this.dashboards.get(id) : undefined;
  }

  /** Cached or loaded metrics; unknown ids are absent from the map. */
  async getMetrics(ids: readonly string[]): Promise<Map<string, MetricEntry>> {
    const out = new Map<string, MetricEntry>();
    const waits: Promise<unknown>[] = [];
    const toLoad: string[] = [];
    for (const id of ids) {
      const cached = this.peekMetric(id);
      if (cached) out.set(id, cached);
      else if (this.metricLoads.has(id)) waits.push(this.metricLoads.get(id)!.then((e) => e && out.set(id, e)));
      else toLoad.push(id);
    }
    if (toLoad.length) waits.push(this.loadMetrics(toLoad).then((loaded) => loaded.forEach((e, id) => out.set(id, e))));
    await Promise.all(waits);
    return out;
  }

  async getDashboard(id: string): Promise<DashboardDefinition | undefined> {
    const cached = this.peekDashboard(id);
    if (cached) return cached;
    let load = this.dashboardLoads.get(id);
    if (!load) {
      const epoch = this.epoch;
      load = this.repository.loadDashboards([id]).then((found) => {
        const dashboard = found.get(id);
        if (dashboard && epoch === this.epoch) this.dashboards.set(id, dashboard);
        return dashboard;
      });
      this.dashboardLoads.set(id, load);
      void load.catch(noop).finally(() => this.dashboardLoads.delete(id));
    }
    return load;
  }

  /** Settles when a load of the metric now in flight has filled the cache. */
  whenLoaded(id: string): Promise<unknown> | undefined {
    return this.metricLoads.get(id)?.catch(noop);
  }

  /** A run completed: swap in its result if newer. Returns whether the cached state changed. */
  applyCompleted(metricId: string, completed: CompletedResult): boolean {
    const entry = this.metrics.peek(metricId);
    const next = entry && withCompleted(entry.latest, completed);
    return next ? this.setLatest(entry, next) : false;
  }

  /** A run failed: record it as the newest failure if newer than the result. */
  applyFailure(metricId: string, failure: FailureInfo): boolean {
    const entry = this.metrics.peek(metricId);
    const next = entry && withFailure(entry.latest, failure);
    return next ? this.setLatest(entry, next) : false;
  }

  // ---- revalidation (revalidator.service.ts) ----

  cachedMetricIds(): string[] {
    return this.metrics.keys();
  }

  cachedDashboardIds(): string[] {
    return this.dashboards.keys();
  }

  /** A cached metric without touching recency or trust (revalidation applies only if its version is unchanged). */
  inspectMetric(id: string): Readonly<MetricEntry> | undefined {
    return this.metrics.peek(id);
  }

  /** Applies what PostgreSQL says, unless the entry changed since `version` was read. */
  reconcileMetric(id: string, version: number, def: MetricDefinition | undefined, latest: LatestState): boolean {
    const entry = this.metrics.peek(id);
    if (!entry || entry.version !== version) return false;
    if (!def) {
      this.metrics.delete(id);
      return false;
    }
    if (def.name !== entry.def.name || JSON.stringify(def.policy) !== JSON.stringify(entry.def.policy)) {
      entry.def = def;
      entry.version++;
    }
    return !sameLatest(latest, entry.latest) && this.setLatest(entry, latest);
  }

  reconcileDashboard(id: string, dashboard: DashboardDefinition | undefined): void {
    if (!dashboard) this.dashboards.delete(id);
    else if (this.dashboards.peek(id)) this.dashboards.set(id, dashboard);
  }

  /** A revalidation pass that read PostgreSQL from `startedAt` on has been applied. */
  markRevalidated(startedAt: number): void {
    this.lastRevalidatedAt = Math.max(this.lastRevalidatedAt, startedAt);
  }

  private trusted(): boolean {
    return performance.now() - this.lastRevalidatedAt <= this.trustMs;
  }

  private setLatest(entry: MetricEntry, latest: LatestState): boolean {
    entry.latest = latest;
    entry.version++;
    return true;
  }

  private loadMetrics(ids: string[]): Promise<Map<string, MetricEntry>> {
    const epoch = this.epoch;
    const batch = Promise.all([this.repository.loadMetricDefinitions(ids), this.executions.getLatestForMetrics(ids)]).then(([defs, latest]) => {
      const out = new Map<string, MetricEntry>();
      for (const [id, def] of defs) {
        const entry: MetricEntry = { def, latest: latestFromExecutions(latest.get(id)), version: 0 };
        out.set(id, entry);
        if (epoch === this.epoch) this.metrics.set(id, entry);
      }
      return out;
    });
    for (const id of ids) {
      const one = batch.then((loaded) => loaded.get(id));
      one.catch(noop); // awaited by whoever joins; the batch's caller sees the error
      this.metricLoads.set(id, one);
      void one.catch(noop).finally(() => {
        if (this.metricLoads.get(id) === one) this.metricLoads.delete(id);
      });
    }
    return batch;
  }

  private invalidate(change: Change): void {
    this.epoch++;
    switch (change.kind) {
      case 'metric':
        this.metrics.delete(change.id);
        break;
      case 'dashboard':
        this.dashboards.delete(change.id);
        break;
      case 'data_source':
        break;
    }
  }
}
