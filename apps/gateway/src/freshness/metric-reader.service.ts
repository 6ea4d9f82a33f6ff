import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '@assemblr/shared';
import { ProblemException } from '../common/problem.exception';
import type { GatewayConfig } from '../gateway.config';
import { GATEWAY_CONFIG } from '../gateway.tokens';
import { ReadModelService } from '../read-model/read-model.service';
import type { DashboardDefinition, MetricEntry } from '../read-model/read-model.types';
import { CompletionWaiter } from './completion-waiter.service';
import { decideRead, type MetricView, pendingView, type ReadDecision, resultView, settledView } from './metric-view.util';
import { RunRequester, runDedupeKey } from './run-requester.service';
import { dashboardDataJson, dashboardDataJsonFromParts, resultViewJson, viewJson } from './view-json.util';

/** A dashboard body rendered from the cache, with what it was rendered from. */
interface RenderedBody {
  atMs: number;
  /** ReadModelService.generation it was rendered at. */
  generation: number;
  body: Buffer;
}

const RENDERED_MAX = 1000;

export interface RefreshAccepted {
  metricId: string;
  requested: true;
}

/**
 * The freshness engine (the seed's `executeDashboard`): per metric, fresh → the cached result; stale →
 * the cached result and one background refresh; expired or missing → block on one shared run (up to
 * BLOCKING_READ_TIMEOUT_MS, then `loading`) or answer `loading`, per policy. A warm read is served
 * from memory without I/O.
 */
@Injectable()
export class MetricReader {
  private readonly rendered = new Map<string, RenderedBody>();

  constructor(
    private readonly readModel: ReadModelService,
    private readonly requester: RunRequester,
    private readonly waiter: CompletionWaiter,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /** `GET /api/dashboards/:id/data` as JSON text: metrics resolved in parallel, in the dashboard's order. */
  async readDashboardJson(dashboardId: string): Promise<string> {
    const warm = this.tryReadDashboardJson(dashboardId);
    if (warm !== undefined) return warm;
    const dashboard = await this.readModel.getDashboard(dashboardId);
    if (!dashboard) throw ProblemException.notFound('dashboard', dashboardId);
    const entries = await this.readModel.getMetrics(dashboard.metricIds);
    const present = dashboard.metricIds.map((id) => entries.get(id)).filter((e): e is MetricEntry => !!e);
    const views = await Promise.all(present.map((entry) => this.resolve(entry)));
    return dashboardDataJson(dashboardId, this.clock.now().toISOString(), views);
  }

  /** The hot path: everything cached and nothing to wait for → the body, synchronously; else undefined. */
  tryReadDashboardJson(dashboardId: string): string | undefined {
    const dashboard = this.readModel.peekDashboard(dashboardId);
    return dashboard && this.renderWarm(dashboard, this.clock.now());
  }

  /**
   * `tryReadDashboardJson` as bytes for the lean HTTP path. The body is a function of the cached state
   * and the millisecond (`generatedAt`), so one rendered in this millisecond at the same read-model
   * generation is reused as is (a stale entry's refresh was requested when it was rendered).
   */
  tryReadDashboardBody(dashboardId: string): Buffer | undefined {
    const now = this.clock.now();
    const last = this.rendered.get(dashboardId);
    if (last && last.atMs === now.getTime() && last.generation === this.readModel.generation && this.readModel.trusted()) return last.body;
    const dashboard = this.readModel.peekDashboard(dashboardId);
    const generation = this.readModel.generation;
    const warm = dashboard && this.renderWarm(dashboard, now);
    if (!warm) return undefined;
    const body = Buffer.from(warm);
    if (this.rendered.size >= RENDERED_MAX) this.rendered.clear();
    this.rendered.set(dashboardId, { atMs: now.getTime(), generation, body });
    return body;
  }

  private renderWarm(dashboard: DashboardDefinition, now: Date): string | undefined {
    const entries: MetricEntry[] = [];
    const decisions: ReadDecision[] = [];
    for (const id of dashboard.metricIds) {
      const entry = this.readModel.peekMetric(id);
      if (!entry) return undefined;
      const decision = decideRead(entry.def.policy, entry.latest, now);
      if (decision.action === 'block') return undefined;
      entries.push(entry);
      decisions.push(decision);
    }
    const views = entries.map((entry, i) => this.serveJson(entry, decisions[i]));
    return dashboardDataJsonFromParts(dashboard.id, now.toISOString(), views);
  }

  /** `GET /api/metrics/:id/result`. */
  async readMetric(metricId: string): Promise<MetricView> {
    return this.resolve(await this.entry(metricId));
  }

  /** `POST /api/metrics/:id/refresh`: a user-triggered run; with `wait`, the view after it finished (or the bound passed). */
  async refresh(metricId: string, wait: boolean): Promise<RefreshAccepted | MetricView> {
    await this.entry(metricId);
    if (!wait) {
      if (!(await this.requester.request(metricId, 'manual'))) throw new ProblemException('unavailable', 'the run request could not be queued; try again');
      return { metricId, requested: true };
    }
    const waiting = this.waiter.wait(metricId, this.config.BLOCKING_READ_TIMEOUT_MS);
    if (!(await this.requester.request(metricId, 'manual'))) {
      waiting.cancel();
      throw new ProblemException('unavailable', 'the run request could not be queued; try again');
    }
    const outcome = await waiting.outcome;
    const current = await this.entry(metricId);
    return settledView(current.def, current.latest, this.clock.now(), outcome === null, outcome);
  }

  private async entry(metricId: string): Promise<MetricEntry> {
    const entry = this.readModel.peekMetric(metricId) ?? (await this.readModel.getMetrics([metricId])).get(metricId);
    if (!entry) throw ProblemException.notFound('metric', metricId);
    return entry;
  }

  private resolve(entry: MetricEntry): Promise<MetricView> | MetricView {
    const decision = decideRead(entry.def.policy, entry.latest, this.clock.now());
    return decision.action === 'block' ? this.block(entry) : this.serve(entry, decision);
  }

  /** `serve` as JSON text, from cached fragments when a result is served. */
  private serveJson(entry: MetricEntry, decision: ReadDecision): string {
    if (decision.action !== 'serve' && decision.action !== 'serve_and_refresh') return viewJson(this.serve(entry, decision));
    if (decision.action === 'serve_and_refresh') this.requestStaleRefresh(entry);
    return resultViewJson(entry.def, entry.latest, decision.freshness, decision.action === 'serve_and_refresh');
  }

  private requestStaleRefresh({ def, latest }: MetricEntry): void {
    void this.requester.request(def.id, 'stale_refresh', runDedupeKey(def.id, 'stale_refresh', latest));
  }

  /** Everything but `block`: answers at once, requesting a run where the rule says so. */
  private serve(entry: MetricEntry, decision: ReadDecision): MetricView {
    const { def, latest } = entry;
    switch (decision.action) {
      case 'serve':
        return resultView(def, latest, decision.freshness, false);
      case 'serve_and_refresh':
        this.requestStaleRefresh(entry);
        return resultView(def, latest, decision.freshness, true);
      case 'loading':
      case 'block':
        void this.requester.request(def.id, 'cold_load', runDedupeKey(def.id, 'cold_load', latest));
        return pendingView(def, latest, 'loading', true);
    }
  }

  /** Expired or missing under `block`: one shared wait for the next finished run, then its view. */
  private async block(entry: MetricEntry): Promise<MetricView> {
    const { def, latest } = entry;
    // subscribed (the shared wait) before publishing, so the completion cannot slip past
    const waiting = this.waiter.wait(def.id, this.config.BLOCKING_READ_TIMEOUT_MS);
    if (!(await this.requester.request(def.id, 'cold_load', runDedupeKey(def.id, 'cold_load', latest)))) {
      waiting.cancel();
      return pendingView(def, latest, 'loading', false);
    }
    const outcome = await waiting.outcome;
    const current = this.readModel.peekMetric(def.id) ?? (await this.readModel.getMetrics([def.id])).get(def.id) ?? entry;
    return settledView(current.def, current.latest, this.clock.now(), outcome === null, outcome);
  }
}
