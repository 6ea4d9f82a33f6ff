import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock, LOGGER, type Logger, type SweepReply } from '@assemblr/shared';
import { DataSource, type EntityManager } from 'typeorm';
import type { SchedulerConfig } from '../scheduler.config';
import { SCHEDULER_CONFIG } from '../scheduler.tokens';
import { DueMetricsRepository } from './due-metrics.repository';
import { LeaseReaderService } from './lease-reader.service';
import { RunRequestPublisher, type ScheduledRun } from './run-request.publisher';
import { type MetricScheduleState, type ScheduleDecision, ScheduleDecider, type ScheduleRules, type SkipReason } from './schedule-decision.util';
import { SweepTally } from './sweep-tally';

/** The outcome for one metric. */
export interface ScheduleResult {
  metricId: string;
  triggered: boolean;
  /** Why nothing was requested (`not_found`: no such metric); null when triggered. */
  reason: SkipReason | 'not_found' | null;
  /** The slot a triggered run is for. */
  slot: Date | null;
  nextRunAt: Date | null;
}

/**
 * Decides and requests scheduled runs. Every decision happens inside the transaction that holds the
 * metric's row lock, and `next_run_at` advances in that same transaction, so a slot is requested by
 * exactly one sweep however many replicas sweep at once.
 */
@Injectable()
export class SchedulingService {
  private readonly repository = new DueMetricsRepository();
  private readonly rules: ScheduleRules;
  // Sweeps of one process run one after another (the timer's and requested ones).
  private sweeping: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly dataSource: DataSource,
    private readonly leases: LeaseReaderService,
    private readonly publisher: RunRequestPublisher,
    @Inject(SCHEDULER_CONFIG) private readonly config: SchedulerConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.rules = {
      maxJitterMs: config.SCHEDULER_MAX_JITTER_MS,
      backoff: { baseMs: config.SCHEDULER_BACKOFF_BASE_MS, capMs: config.SCHEDULER_BACKOFF_CAP_MS },
    };
  }

  /** The seed's step 3 for one metric: requests a run if it is due, not running, not fresh and not backing off. */
  async scheduleMetricExecution(metricId: string): Promise<ScheduleResult> {
    const decider = new ScheduleDecider(this.clock.now(), this.rules);
    const results = await this.dataSource.transaction((tx) =>
      this.repository.claimOne(tx, metricId).then((rows) => this.processClaimed(tx, decider, rows)),
    );
    return results[0] ?? { metricId, triggered: false, reason: 'not_found', slot: null, nextRunAt: null };
  }

  /**
   * Requests a run for every metric due now (at most `limit`), in batches claimed by parallel
   * transactions; memory stays bounded by the batch size whatever the number of due metrics.
   */
  sweep(options: { limit?: number } = {}): Promise<SweepReply> {
    const run = this.sweeping.then(() => this.sweepNow(options.limit ?? Number.POSITIVE_INFINITY));
    this.sweeping = run.catch(() => undefined);
    return run;
  }

  /**
   * Gives metrics that a hand edit made scheduled (policy scheduled, next_run_at NULL) their next slot;
   * returns how many. Rows with an unusable policy stay off the schedule.
   */
  async adoptHandScheduled(): Promise<number> {
    const decider = new ScheduleDecider(this.clock.now(), this.rules);
    const adopted = await this.dataSource.transaction(async (tx) => {
      const rows = await this.repository.claimOrphans(tx, this.config.SCHEDULER_BATCH_SIZE);
      const updates = rows.map((row) => ({ metricId: row.metricId, nextRunAt: decider.firstLook(row.metricId, row.policyJson) })).filter((u) => u.nextRunAt);
      await this.repository.advance(tx, updates);
      return updates.length;
    });
    if (adopted > 0) this.logger.info({ adopted }, 'metrics scheduled by hand edits put on the schedule');
    return adopted;
  }

  /** Resolves once no sweep of this process is running. */
  idle(): Promise<void> {
    return this.sweeping.then(() => undefined);
  }

  private async sweepNow(limit: number): Promise<SweepReply> {
    const started = Date.now();
    const decider = new ScheduleDecider(this.clock.now(), this.rules);
    const tally = new SweepTally();
    let budget = limit;
    const worker = async () => {
      while (budget > 0) {
        const take = Math.min(this.config.SCHEDULER_BATCH_SIZE, budget);
        budget -= take;
        const results = await this.dataSource.transaction((tx) =>
          this.repository.claimDue(tx, decider.now, take).then((rows) => this.processClaimed(tx, decider, rows)),
        );
        tally.add(results);
        budget += take - results.length;
        // A short batch: nothing more is due, or the rest is locked by other sweeps.
        if (results.length < take) return;
      }
    };
    // allSettled: a failed batch must not leave its sibling running past the sweep's end.
    const settled = await Promise.allSettled(Array.from({ length: this.config.SCHEDULER_SWEEP_CONCURRENCY }, worker));
    const failed = settled.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;
    const reply = tally.reply();
    const level = reply.triggered > 0 ? 'info' : 'debug';
    this.logger[level]({ checked: reply.checked, triggered: reply.triggered, skipped: reply.skipped, ms: Date.now() - started }, 'sweep done');
    return reply;
  }

  /** Decides for the claimed rows, requests the runs and advances their `next_run_at`. */
  private async processClaimed(tx: EntityManager, decider: ScheduleDecider, rows: MetricScheduleState[]): Promise<ScheduleResult[]> {
    if (rows.length === 0) return [];
    const decisions = await this.withLeases(decider, rows);
    const runs: ScheduledRun[] = [];
    decisions.forEach((d, i) => d.action === 'run' && runs.push({ metricId: rows[i].metricId, slot: d.slot }));
    const outcomes = await this.publisher.publishAll(runs, this.clock.now(), this.config.SCHEDULER_PUBLISH_CONCURRENCY);
    const duplicates = new Set(runs.filter((_, i) => outcomes[i] === 'duplicate').map((r) => r.metricId));
    await this.repository.advance(tx, rows.map((row, i) => ({ metricId: row.metricId, nextRunAt: decisions[i].nextRunAt })));
    return rows.map((row, i) => this.toResult(row, decisions[i], duplicates.has(row.metricId)));
  }

  /** Turns runs of metrics whose lease is held into `running` skips (the database alone misses a run that just started). */
  private async withLeases(decider: ScheduleDecider, rows: MetricScheduleState[]): Promise<ScheduleDecision[]> {
    const decisions = rows.map((row) => decider.decide(row));
    const candidates = rows.filter((_, i) => decisions[i].action === 'run').map((row) => row.metricId);
    const held = await this.leases.heldAmong(candidates, this.config.SCHEDULER_PUBLISH_CONCURRENCY);
    return held.size === 0 ? decisions : rows.map((row, i) => (held.has(row.metricId) ? decider.decide({ ...row, inFlight: true }) : decisions[i]));
  }

  private toResult(row: MetricScheduleState, decision: ScheduleDecision, duplicate: boolean): ScheduleResult {
    const base = { metricId: row.metricId, nextRunAt: decision.nextRunAt };
    if (decision.action === 'skip') {
      if (decision.reason === 'invalid_policy') {
        this.logger.warn({ metricId: row.metricId, errors: decision.errors }, 'stored execution policy is invalid; metric taken off the schedule');
      }
      return { ...base, triggered: false, reason: decision.reason, slot: null };
    }
    // Another sweep's request for this slot is already queued (its transaction rolled back after publishing).
    if (duplicate) return { ...base, triggered: false, reason: 'already_requested', slot: decision.slot };
    return { ...base, triggered: true, reason: null, slot: decision.slot };
  }
}
