import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { RunReason, TriggeredBy } from '../../nats/messages';

export const EXECUTION_STATUSES = ['pending', 'running', 'completed', 'failed'] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

/**
 * Why a failed execution failed. `error` and `timeout` are the metric's own verdict and answer the
 * requests made before it finished; the infrastructure kinds do not (the executor runs those requests again).
 */
export const FAILURE_KINDS = ['error', 'timeout', 'lease_lost', 'abandoned', 'shutdown'] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];
export const VERDICT_FAILURE_KINDS: readonly FailureKind[] = ['error', 'timeout'];

/** One run of a metric (API.md "Executions"). Written through the ExecutionStore only. */
@Entity({ name: 'metric_executions' })
export class MetricExecutionEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'metric_id', type: 'uuid' })
  metricId!: string;

  @Column({ type: 'text' })
  status!: ExecutionStatus;

  @Column({ name: 'triggered_by', type: 'text' })
  triggeredBy!: TriggeredBy;

  @Column({ type: 'text' })
  reason!: RunReason;

  @Column({ name: 'requested_at', type: 'timestamptz' })
  requestedAt!: Date;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt!: Date | null;

  @Column({ type: 'jsonb', nullable: true })
  result!: unknown;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @Column({ name: 'failure_kind', type: 'text', nullable: true })
  failureKind!: FailureKind | null;

  @Column({ name: 'request_id', type: 'uuid', nullable: true })
  requestId!: string | null;

  @Column({ name: 'worker_id', type: 'text', nullable: true })
  workerId!: string | null;

  @Column({ type: 'integer', default: 1 })
  attempt!: number;

  @Column({ name: 'duration_ms', type: 'integer', nullable: true })
  durationMs!: number | null;
}
