import { Inject, Injectable } from '@nestjs/common';
import {
  assessFreshness,
  CLOCK,
  type Clock,
  coldRunMsgId,
  type ExecutionRecord,
  ExecutionStore,
  type FreshnessItem,
  type FreshnessState,
  type LatestExecutions,
  LOGGER,
  type Logger,
  ServiceError,
  staleRunMsgId,
} from '@assemblr/shared';
import type { MetricOutcome, MetricRef, RunFailure, ServedValue } from '../answer/outcome.types';
import type { CatalogMetric } from '../catalog/catalog.types';
import type { ChatConfig } from '../chat.config';
import { CHAT_CONFIG } from '../chat.tokens';
import { FreshnessClient } from './freshness.client';
import { RunRequester } from './run-requester';

/**
 * Values for an answer under the dashboards' freshness rules: fresh → cached; stale → cached and a
 * background refresh; expired or missing → a run, awaited up to CHAT_RUN_WAIT_MS (unless the metric's
 * policy says `onExpired: loading`). Values always come from completed executions in PostgreSQL.
 */
@Injectable()
export class MetricValuesService {
  constructor(
    private readonly store: ExecutionStore,
    private readonly freshness: FreshnessClient,
    private readonly runs: RunRequester,
    @Inject(CHAT_CONFIG) private readonly config: ChatConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async resolve(metrics: readonly CatalogMetric[]): Promise<MetricOutcome[]> {
    if (metrics.length === 0) return [];
    const ids = metrics.map((m) => m.id);
    const [latest, freshness] = await Promise.all([this.readLatest(ids), this.freshness.query(ids)]);
    return Promise.all(metrics.map((metric) => this.resolveOne(metric, latest.get(metric.id), freshness?.get(metric.id))));
  }

  private async resolveOne(metric: CatalogMetric, latest: LatestExecutions | undefined, item: FreshnessItem | undefined): Promise<MetricOutcome> {
    const ref: MetricRef = { id: metric.id, name: metric.name };
    const completed = latest?.completed ?? null;
    const served = completed ? toServed(completed) : null;
    const lastError = latest?.failure ? toFailure(latest.failure) : null;
    const state = served ? this.stateOf(metric, completed, item) : 'missing';
    if (served && state === 'fresh') return { kind: 'cached', metric: ref, served, lastError };
    if (served && state === 'stale') {
      // One background refresh per served execution, however many people ask.
      const refreshRequested = await this.runs.request(metric.id, 'stale_refresh', staleRunMsgId(metric.id, served.executionId));
      return { kind: 'refreshing', metric: ref, served, refreshRequested, lastError };
    }
    return this.runNow(metric, ref, served, latest?.failure?.id ?? null);
  }

  /**
   * The executor's verdict (it reads PostgreSQL, hand edits included) when it speaks of the execution we
   * serve; otherwise, e.g. a run that completed between the two reads, the same rule here.
   */
  private stateOf(metric: CatalogMetric, completed: ExecutionRecord | null, item: FreshnessItem | undefined): FreshnessState {
    if (item && item.state !== 'unknown' && item.executionId === (completed?.id ?? null)) return item.state;
    return assessFreshness(metric.policy, completed?.completedAt ?? null, this.clock.now()).state;
  }

  private async runNow(metric: CatalogMetric, ref: MetricRef, lastGood: ServedValue | null, failureId: string | null): Promise<MetricOutcome> {
    const known = { completedId: lastGood?.executionId ?? null, failureId };
    // Keyed by what the request is about: asks racing on the same expired result coalesce into one run.
    const msgId = coldRunMsgId(metric.id, known.completedId, known.failureId);
    if (metric.policy.onExpired === 'loading') {
      const runRequested = await this.runs.request(metric.id, 'cold_load', msgId);
      return { kind: 'loading', metric: ref, lastGood, runRequested, waitedMs: null };
    }
    const waitMs = this.config.CHAT_RUN_WAIT_MS;
    const result = await this.runs.requestAndAwait(metric.id, msgId, known, waitMs);
    switch (result.kind) {
      case 'completed': {
        const execution = await this.store.getExecution(result.executionId).catch(() => null);
        if (execution?.status === 'completed' && execution.completedAt) return { kind: 'live', metric: ref, served: toServed(execution) };
        return { kind: 'loading', metric: ref, lastGood, runRequested: true, waitedMs: waitMs };
      }
      case 'failed':
        return { kind: 'failed', metric: ref, failure: { executionId: result.executionId, message: result.message, at: result.at }, lastGood };
      case 'timeout':
        return { kind: 'loading', metric: ref, lastGood, runRequested: true, waitedMs: waitMs };
      case 'not_requested':
        return { kind: 'loading', metric: ref, lastGood, runRequested: false, waitedMs: null };
    }
  }

  private async readLatest(ids: string[]): Promise<Map<string, LatestExecutions>> {
    try {
      return await this.store.getLatestForMetrics(ids);
    } catch (err) {
      this.logger.warn({ err }, 'latest executions could not be read');
      throw new ServiceError('unavailable', 'metric results cannot be read right now');
    }
  }
}

/** The value a metric's result carries (API.md: every data source kind answers `{ value, … }`). */
function toServed(execution: ExecutionRecord): ServedValue {
  const result = execution.result as { value?: unknown } | null;
  const value = result && typeof result === 'object' && 'value' in result ? result.value : result;
  return { executionId: execution.id, value: value ?? null, computedAt: execution.completedAt as Date };
}

function toFailure(execution: ExecutionRecord): RunFailure {
  return { executionId: execution.id, message: execution.error ?? 'the run failed', at: execution.completedAt ?? execution.requestedAt };
}
