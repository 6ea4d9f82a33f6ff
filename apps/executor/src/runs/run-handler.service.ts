import { Inject, Injectable } from '@nestjs/common';
import type { JsMsg } from '@nats-io/jetstream';
import { CLOCK, type Clock, decodeJson, LOGGER, type Logger, NATS_NAMES, type NatsNames, parseMessage, type RunRequest, runRequestSchema, type Validated } from '@assemblr/shared';
import type { ExecutorConfig } from '../executor.config';
import { EXECUTOR_CONFIG } from '../executor.tokens';
import { IntegrationsService } from '../integrations/integrations.service';
import { LeaseService } from '../leases/lease.service';
import { onLeaseHeld, retryDelayMs } from '../leases/lease.util';
import { type Disposition, ExecutorStats } from './executor-stats.service';
import { LeaseKeeper } from './lease-keeper';
import { MetricRunService, type RunOutcome } from './metric-run.service';
import { RecentFinishes } from './recent-finishes.service';
import { RunAbort, whenAborted } from './run-abort';
import { RunRepository } from './run-repository';
import { decideRun } from './run-rules.util';

/** How a delivery ends: a final disposition (ack, or term for `terminated`) or a nak with a delay. */
type Settlement = { disposition: Disposition; note?: string } | { requeueMs: number; note: string };

/** Decides what one run request delivery needs and settles the message exactly once. */
@Injectable()
export class RunHandler {
  private readonly keepers = new Set<LeaseKeeper>();

  constructor(
    private readonly leases: LeaseService,
    private readonly repository: RunRepository,
    private readonly runs: MetricRunService,
    private readonly integrations: IntegrationsService,
    private readonly recent: RecentFinishes,
    private readonly stats: ExecutorStats,
    @Inject(EXECUTOR_CONFIG) private readonly config: ExecutorConfig,
    @Inject(NATS_NAMES) private readonly names: NatsNames,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async handle(msg: JsMsg): Promise<void> {
    let settlement: Settlement;
    try {
      settlement = await this.decide(msg);
    } catch (err) {
      // Postgres or NATS trouble: hand the request back rather than lose it.
      this.logger.error({ seq: msg.seq, err }, 'run request failed; handing it back');
      settlement = { requeueMs: this.retryDelay(msg), note: 'error' };
    }
    this.settle(msg, settlement);
  }

  /** Stops every run in flight (shutdown): they record their failure, release their lease and nak. */
  abortAll(message: string): void {
    for (const keeper of this.keepers) keeper.controller.abort(new RunAbort('shutdown', message));
  }

  get inFlight(): number {
    return this.keepers.size;
  }

  private async decide(msg: JsMsg): Promise<Settlement> {
    const parsed = this.parse(msg);
    if (!parsed.ok) {
      this.logger.warn({ seq: msg.seq, subject: msg.subject, errors: parsed.errors }, 'invalid run request terminated');
      return { disposition: 'terminated' };
    }
    const request = parsed.value;
    if (this.recent.answers(request.metricId, request.requestedAt)) return { disposition: 'skippedAnswered' };
    const got = await this.leases.acquire(request.metricId, msg.seq);
    if (!got.acquired) {
      const held = onLeaseHeld(got.holder, { streamSeq: msg.seq, deliveryCount: msg.info.deliveryCount }, this.config.EXECUTOR_LEASE_TTL_MS);
      return held.action === 'coalesce' ? { disposition: 'coalesced' } : { requeueMs: held.delayMs, note: 'lease held' };
    }
    const keeper = new LeaseKeeper(got.lease, msg, this.config.EXECUTOR_LEASE_TTL_MS, this.logger);
    this.keepers.add(keeper);
    try {
      return await this.underLease(msg, request, keeper);
    } finally {
      keeper.stop();
      this.keepers.delete(keeper);
      await got.lease.release().catch((err: unknown) => this.logger.debug({ metricId: request.metricId, err: (err as Error).message }, 'lease release refused (already lost)'));
    }
  }

  private async underLease(msg: JsMsg, request: RunRequest, keeper: LeaseKeeper): Promise<Settlement> {
    const metric = await this.repository.loadMetric(request.metricId);
    if (!metric) {
      this.logger.warn({ seq: msg.seq, metricId: request.metricId }, 'run request for an unknown metric terminated');
      return { disposition: 'terminated' };
    }
    const decision = decideRun(request, metric, this.clock.now());
    if (decision === 'answered') return { disposition: 'skippedAnswered' };
    if (decision === 'fresh') return { disposition: 'skippedFresh' };
    const leave = await this.enterSource(metric.source.id, keeper.signal);
    if (!leave) return { requeueMs: this.retryDelay(msg), note: 'data source busy' };
    try {
      const outcome = await this.runs.run(request, metric, this.integrations.forKind(metric.source.kind), keeper, msg.info.deliveryCount);
      return this.settlementOf(outcome, msg);
    } finally {
      leave();
    }
  }

  /** A slot of the data source, null when it is saturated (or the run was aborted while waiting). */
  private async enterSource(sourceId: string, signal: AbortSignal): Promise<(() => void) | null> {
    const entered = this.integrations.limiter.enter(sourceId);
    if (!entered) return null;
    const aborted = whenAborted(signal);
    try {
      return await Promise.race([entered, aborted.promise]);
    } catch {
      void entered.then((leave) => leave());
      return null;
    } finally {
      aborted.dispose();
    }
  }

  private settlementOf(outcome: RunOutcome, msg: JsMsg): Settlement {
    switch (outcome.verdict) {
      case 'completed':
        return { disposition: 'ran' };
      case 'failed':
        return { disposition: 'failed' };
      case 'none':
        // no verdict (lease lost, shutdown): another delivery must run it; shutdown hands it over at once
        return { requeueMs: outcome.kind === 'shutdown' ? 0 : this.retryDelay(msg), note: outcome.kind };
    }
  }

  private settle(msg: JsMsg, settlement: Settlement): void {
    if ('disposition' in settlement) {
      this.stats.count(settlement.disposition);
      if (settlement.disposition === 'terminated') msg.term();
      else msg.ack();
      return;
    }
    if (msg.info.deliveryCount >= this.config.EXECUTOR_MAX_DELIVER) {
      this.logger.error({ seq: msg.seq, deliveries: msg.info.deliveryCount, why: settlement.note }, 'run request gave up after its last delivery');
      this.stats.count('terminated');
      msg.term();
      return;
    }
    this.stats.count('requeued');
    msg.nak(settlement.requeueMs);
  }

  private retryDelay(msg: JsMsg): number {
    return retryDelayMs(msg.info.deliveryCount, this.config.EXECUTOR_LEASE_TTL_MS);
  }

  private parse(msg: JsMsg): Validated<RunRequest> {
    const decoded = decodeJson(msg.data);
    if (!decoded.ok) return decoded;
    const parsed = parseMessage(runRequestSchema, decoded.value);
    if (parsed.ok && msg.subject !== this.names.runSubject(parsed.value.metricId)) {
      return { ok: false, errors: [{ path: 'metricId', message: `does not match the subject ${msg.subject}` }] };
    }
    return parsed;
  }
}
