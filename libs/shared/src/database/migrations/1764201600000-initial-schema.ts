import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Hand-written: data sources, metrics, executions, dashboards, and the indexes the hot paths use. */
export class InitialSchema1764201600000 implements MigrationInterface {
  name = 'InitialSchema1764201600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pgcrypto`);
    await q.query(`
      CREATE TABLE data_sources (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        kind text NOT NULL CHECK (kind IN ('postgres', 'http', 'demo')),
        config jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE metrics (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        description text NOT NULL DEFAULT '',
        tags text[] NOT NULL DEFAULT '{}'::text[],
        data_source_id uuid NOT NULL REFERENCES data_sources(id) ON DELETE RESTRICT,
        definition jsonb NOT NULL,
        execution_policy jsonb NOT NULL,
        next_run_at timestamptz,
        consecutive_failures integer NOT NULL DEFAULT 0 CHECK (consecutive_failures >= 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX metrics_data_source_idx ON metrics (data_source_id)`);
    // The scheduler claims due rows by this index (FOR UPDATE SKIP LOCKED); on-demand rows stay out of it.
    await q.query(`CREATE INDEX metrics_next_run_at_idx ON metrics (next_run_at) WHERE next_run_at IS NOT NULL`);
    await q.query(`
      CREATE TABLE metric_executions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        metric_id uuid NOT NULL REFERENCES metrics(id) ON DELETE CASCADE,
        status text NOT NULL CHECK (status IN ('pending', 'running', 'completed', 'failed')),
        triggered_by text NOT NULL CHECK (triggered_by IN ('system', 'user')),
        reason text NOT NULL CHECK (reason IN ('schedule', 'stale_refresh', 'cold_load', 'manual')),
        requested_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        completed_at timestamptz,
        result jsonb,
        error text,
        request_id uuid,
        worker_id text,
        attempt integer NOT NULL DEFAULT 1,
        duration_ms integer,
        CHECK (status NOT IN ('completed', 'failed') OR completed_at IS NOT NULL),
        CHECK (status <> 'running' OR started_at IS NOT NULL)
      )`);
    // Latest completed and newest failure per metric: single index lookups (LATERAL … LIMIT 1).
    await q.query(`CREATE INDEX metric_executions_latest_completed_idx ON metric_executions (metric_id, completed_at DESC) WHERE status = 'completed'`);
    await q.query(`CREATE INDEX metric_executions_latest_failed_idx ON metric_executions (metric_id, completed_at DESC) WHERE status = 'failed'`);
    // History listing, newest first.
    await q.query(`CREATE INDEX metric_executions_history_idx ON metric_executions (metric_id, requested_at DESC)`);
    // Last line of defence behind the lease: the database refuses a second running execution of a metric.
    await q.query(`CREATE UNIQUE INDEX metric_executions_one_running_idx ON metric_executions (metric_id) WHERE status = 'running'`);
    // The reaper scans running rows by age.
    await q.query(`CREATE INDEX metric_executions_running_idx ON metric_executions (started_at) WHERE status IN ('running', 'pending')`);
    await q.query(`
      CREATE TABLE dashboards (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE dashboard_metrics (
        dashboard_id uuid NOT NULL REFERENCES dashboards(id) ON DELETE CASCADE,
        position integer NOT NULL CHECK (position >= 0),
        metric_id uuid NOT NULL REFERENCES metrics(id) ON DELETE RESTRICT,
        PRIMARY KEY (dashboard_id, position),
        UNIQUE (dashboard_id, metric_id)
      )`);
    await q.query(`CREATE INDEX dashboard_metrics_metric_idx ON dashboard_metrics (metric_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE dashboard_metrics`);
    await q.query(`DROP TABLE dashboards`);
    await q.query(`DROP TABLE metric_executions`);
    await q.query(`DROP TABLE metrics`);
    await q.query(`DROP TABLE data_sources`);
  }
}
