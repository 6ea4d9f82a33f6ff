import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { RunReason, TriggeredBy } from '../../nats/messages';

export const EXECUTION_STATUSES = ['pending', 'running', 'completed', 'failed'] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

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

  @Column({ name: 'request_id', type: 'uuid', nullable: true })
  requestId!: string | null;

  @Column({ name: 'worker_id', type: 'text', nullable: true })
  workerId!: string | null;

  @Column({ type: 'integer', default: 1 })
  attempt!: number;

  @Column({ name: 'duration_ms', type: 'integer', nullable: true })
  durationMs!: number | null;
}
