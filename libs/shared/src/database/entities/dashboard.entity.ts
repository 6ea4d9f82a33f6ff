import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity({ name: 'dashboards' })
export class DashboardEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** Ordered membership of a metric in a dashboard. */
@Entity({ name: 'dashboard_metrics' })
export class DashboardMetricEntity {
  @PrimaryColumn({ name: 'dashboard_id', type: 'uuid' })
  dashboardId!: string;

  @PrimaryColumn({ type: 'integer' })
  position!: number;

  @Column({ name: 'metric_id', type: 'uuid' })
  metricId!: string;
}
