import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { LOGGER, type Logger } from '@assemblr/shared';
import { DataSource } from 'typeorm';
import type { ExecutorConfig } from '../executor.config';
import { EXECUTOR_CONFIG, WORKER_ID } from '../executor.tokens';
import { LeaseService } from '../leases/lease.service';
import type { LeaseValue } from '../leases/lease.util';
import { abandonedMessage, MetricRunService } from '../runs/metric-run.service';

interface Candidate {
  id: string;
  metric_id: string;
  worker_id: string | null;
}

const BATCH = 500;

/**
 * An unfinished execution is abandoned when it is older than the lease TTL and its metric's lease is gone
 * or names another execution: its worker died (or stalled) without renewing. A lease still being decided
 * (no execution named) belongs to a holder that fails stale rows itself before it runs.
 */
export function isAbandoned(executionId: string, lease: { held: boolean; value: LeaseValue | null }): boolean {
  if (!lease.held) return true;
  return !!lease.value?.executionId && lease.value.executionId !== executionId;
}

/** Every EXECUTOR_REAPER_INTERVAL_MS marks abandoned executions failed, so none stays `running` for long. */
@Injectable()
export class ReaperService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private sweeping: Promise<number> | null = null;

  constructor(
    private readonly db: DataSource,
    private readonly leases: LeaseService,
    private readonly runs: MetricRunService,
    @Inject(WORKER_ID) private readonly workerId: string,
    @Inject(EXECUTOR_CONFIG) private readonly config: ExecutorConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), this.config.EXECUTOR_REAPER_INTERVAL_MS);
    this.timer.unref();
  }

  /** One pass; returns how many executions it marked failed. Passes never overlap. */
  sweep(): Promise<number> {
    this.sweeping ??= this.reap()
      .catch((err: unknown) => {
        this.logger.warn({ err: (err as Error).message }, 'reaper pass failed');
        return 0;
      })
      .finally(() => (this.sweeping = null));
    return this.sweeping;
  }

  private async reap(): Promise<number> {
    const candidates: Candidate[] = await this.db.query(
      `SELECT id, metric_id, worker_id FROM metric_executions
        WHERE status IN ('running', 'pending') AND COALESCE(started_at, requested_at) < now() - make_interval(secs => $1::double precision / 1000)
        ORDER BY COALESCE(started_at, requested_at) LIMIT ${BATCH}`,
      [this.config.EXECUTOR_LEASE_TTL_MS],
    );
    let reaped = 0;
    for (const row of candidates) {
      if (!isAbandoned(row.id, await this.leases.holder(row.metric_id))) continue;
      if (await this.runs.abandon(row.id, abandonedMessage(row.worker_id, this.workerId))) reaped += 1;
    }
    return reaped;
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.sweeping;
  }
}
