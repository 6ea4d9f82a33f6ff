import { type BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock, LOGGER, type Logger } from '@assemblr/shared';
import type { FastifyReply } from 'fastify';
import { ProblemException } from '../common/problem.exception';
import { settledView } from '../freshness/metric-view.util';
import { viewJson } from '../freshness/view-json.util';
import type { GatewayConfig } from '../gateway.config';
import { GATEWAY_CONFIG } from '../gateway.tokens';
import { MetricOutcomes } from '../read-model/metric-outcomes.service';
import { ReadModelService } from '../read-model/read-model.service';
import type { DashboardDefinition, MetricOutcome } from '../read-model/read-model.types';

/**
 * `GET /api/dashboards/:id/events`: a Server-Sent Events stream with one event per finished run of a
 * metric on the dashboard (data = the metric's new view), heartbeat comments in between.
 */
@Injectable()
export class DashboardEventsService implements BeforeApplicationShutdown {
  private readonly open = new Set<() => void>();

  constructor(
    private readonly readModel: ReadModelService,
    private readonly outcomes: MetricOutcomes,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Streams until the client goes away (404 problem+json first if the dashboard does not exist). */
  async stream(dashboardId: string, reply: FastifyReply): Promise<void> {
    const initial = await this.readModel.getDashboard(dashboardId);
    if (!initial) throw ProblemException.notFound('dashboard', dashboardId);
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    raw.write(': connected\n\n');
    const unsubscribe = this.outcomes.subscribe((outcome) => void this.push(raw, dashboardId, initial, outcome));
    const heartbeat = setInterval(() => raw.write(': heartbeat\n\n'), this.config.SSE_HEARTBEAT_MS);
    const close = () => {
      clearInterval(heartbeat);
      unsubscribe();
      this.open.delete(close);
      if (!raw.writableEnded) raw.end();
    };
    this.open.add(close);
    raw.on('close', close);
  }

  /** Open streams would hold the HTTP server open: end them before it closes. */
  beforeApplicationShutdown(): void {
    for (const close of [...this.open]) close();
  }

  private async push(raw: FastifyReply['raw'], dashboardId: string, initial: DashboardDefinition, outcome: MetricOutcome): Promise<void> {
    const dashboard = this.readModel.peekDashboard(dashboardId) ?? initial;
    if (!dashboard.metricIds.includes(outcome.metricId)) return;
    try {
      const entry = this.readModel.inspectMetric(outcome.metricId) ?? (await this.readModel.getMetrics([outcome.metricId])).get(outcome.metricId);
      if (!entry || raw.writableEnded) return;
      const view = settledView(entry.def, entry.latest, this.clock.now(), false);
      raw.write(`id: ${outcome.executionId}\ndata: ${viewJson(view)}\n\n`);
    } catch (err) {
      this.logger.warn({ err, dashboardId, metricId: outcome.metricId }, 'could not push a metric view');
    }
  }
}
