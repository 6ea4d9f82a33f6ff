import { Inject, Injectable } from '@nestjs/common';
import { type ExecutionRecord, ExecutionStore, type ExecutionTrigger, type FailureKind, isExecutionStoreError, LOGGER, type Logger, type RunRequest } from '@assemblr/shared';
import { BatchedExecutions } from '../database/batched-executions.service';
import type { ExecutorConfig } from '../executor.config';
import { EXECUTOR_CONFIG, EXECUTOR_STORE, WORKER_ID } from '../executor.tokens';
import { type Integration, IntegrationError, whenAborted } from '../integrations/integration';
import { scrubSecrets } from '../integrations/scrub.util';
import type { LeaseKeeper } from './lease-keeper';
import { OutcomePublisher } from './outcome-publisher.service';
import { RunAbort } from './run-abort';
import type { MetricForRun } from './run-repository';
import { runTimeoutMs } from './run-rules.util';

/** How a run ended, for the message's disposition: a verdict is acked, anything else is handed back. */
export type RunOutcome = { verdict: 'completed' | 'failed' } | { verdict: 'none'; kind: FailureKind };

/** One execution of a metric under a held lease: pending → running → completed | failed, with its limits. */
@Injectable()
export class MetricRunService {
  constructor(
    @Inject(EXECUTOR_STORE) private readonly store: ExecutionStore,
    private readonly executions: BatchedExecutions,
    private readonly outcomes: OutcomePublisher,
    @Inject(EXECUTOR_CONFIG) private readonly config: ExecutorConfig,
    @Inject(WORKER_ID) private readonly workerId: string,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async run(request: RunRequest, metric: MetricForRun, integration: Integration | null, keeper: LeaseKeeper, attempt: number): Promise<RunOutcome> {
    if (metric.running) await this.abandon(metric.running.id, abandonedMessage(metric.running.workerId, this.workerId));
    // the id the lease already names: requests that find the lease held coalesce onto this row
    const id = keeper.lease.current.executionId;
    const starting = this.executions.start(metric.id, { id, ...triggerOf(request), workerId: this.workerId, attempt });
    // The integration runs while the start commits (the lease already makes this the metric's one run):
    // a cold read does not wait for that round trip. Its outcome is written only after the start.
    const executing = this.execute(metric, integration, keeper);
    executing.catch(() => undefined); // awaited below, unless the start fails
    const running = await this.started(starting, keeper);
    if (!running) return { verdict: 'none', kind: 'lease_lost' };
    if (keeper.signal.aborted) return this.fail(running, keeper.signal.reason);
    this.outcomes.started(running);
    try {
      const result = await executing;
      if (!(await keeper.confirm())) return this.fail(running, keeper.signal.reason);
      const completed = await this.executions.complete(id, result);
      this.outcomes.finished(completed);
      return { verdict: 'completed' };
    } catch (err) {
      return this.fail(running, err);
    }
  }

  /** The started execution; null (the integration stopped) when another execution of the metric runs. */
  private async started(starting: Promise<ExecutionRecord>, keeper: LeaseKeeper): Promise<ExecutionRecord | null> {
    try {
      return await starting;
    } catch (err) {
      // no row exists, so this reason is never recorded: it only stops the integration
      keeper.controller.abort(new RunAbort('lease_lost', 'the execution could not be started'));
      // Another execution runs although we hold the lease: ours lost the metric while stalled.
      if (isExecutionStoreError(err, 'already_running')) return null;
      throw err;
    }
  }

  /** Marks a stale execution failed (kind `abandoned`); already finished is fine. */
  async abandon(executionId: string, message: string): Promise<boolean> {
    try {
      const failed = await this.store.failExecution(executionId, message, 'abandoned');
      this.logger.warn({ metricId: failed.metricId, executionId }, 'marked an abandoned execution failed');
      this.outcomes.finished(failed);
      return true;
    } catch (err) {
      if (isExecutionStoreError(err, 'invalid_transition') || isExecutionStoreError(err, 'execution_not_found')) return false;
      throw err;
    }
  }

  private async execute(metric: MetricForRun, integration: Integration | null, keeper: LeaseKeeper): Promise<unknown> {
    if (!integration) throw new IntegrationError(`data source kind "${metric.source.kind}" is not supported by this executor`);
    const timeoutMs = runTimeoutMs(metric.definition, this.config.EXECUTOR_MAX_RUN_MS);
    const timer = setTimeout(() => keeper.controller.abort(new RunAbort('timeout', `timed out after ${timeoutMs} ms`)), timeoutMs);
    const aborted = whenAborted(keeper.signal);
    try {
      return await Promise.race([integration.run({ source: metric.source, definition: metric.definition, signal: keeper.signal, timeoutMs }), aborted.promise]);
    } finally {
      clearTimeout(timer);
      aborted.dispose();
    }
  }

  private async fail(execution: ExecutionRecord, err: unknown): Promise<RunOutcome> {
    const { kind, message } = describeFailure(err);
    if (kind === 'error' && !(err instanceof IntegrationError)) this.logger.error({ metricId: execution.metricId, err }, 'run failed unexpectedly');
    try {
      const failed = await this.store.failExecution(execution.id, message, kind);
      this.outcomes.finished(failed);
    } catch (writeErr) {
      // Already finished (e.g. marked abandoned by a new holder): its fate is recorded; ours must not overwrite it.
      if (!isExecutionStoreError(writeErr, 'invalid_transition')) throw writeErr;
    }
    return kind === 'error' || kind === 'timeout' ? { verdict: 'failed' } : { verdict: 'none', kind };
  }
}

function triggerOf(request: RunRequest): Pick<ExecutionTrigger, 'triggeredBy' | 'reason' | 'requestedAt' | 'requestId'> {
  return { triggeredBy: request.triggeredBy, reason: request.reason, requestedAt: new Date(request.requestedAt), requestId: request.requestId };
}

/** The one wording of an abandoned execution, whoever notices it (the reaper or the next lease holder). */
export function abandonedMessage(deadWorkerId: string | null, noticedBy: string): string {
  return `abandoned: worker ${deadWorkerId ?? 'unknown'} stopped renewing its lease (noticed by ${noticedBy})`;
}

function describeFailure(err: unknown): { kind: FailureKind; message: string } {
  if (err instanceof RunAbort) return { kind: err.kind, message: err.message };
  if (err instanceof IntegrationError) return { kind: err.kind, message: err.message };
  return { kind: 'error', message: `unexpected error: ${scrubSecrets((err as Error)?.message ?? String(err))}` };
}
