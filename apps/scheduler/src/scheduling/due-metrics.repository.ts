import type { EntityManager } from 'typeorm';
import type { MetricScheduleState } from './schedule-decision.util';

type Row = Record<string, unknown>;

// What a decision needs per claimed row: the policy, the due time, the failure streak, the newest
// completed and failed executions and whether one is running (single index lookups each).
const STATE_COLUMNS = `
  d.id, d.policy_json, d.next_run_at, d.consecutive_failures,
  (SELECT e.completed_at FROM metric_executions e
    WHERE e.metric_id = d.id AND e.status = 'completed' ORDER BY e.completed_at DESC LIMIT 1) AS last_completed_at,
  (SELECT e.completed_at FROM metric_executions e
    WHERE e.metric_id = d.id AND e.status = 'failed' ORDER BY e.completed_at DESC LIMIT 1) AS last_failed_at,
  EXISTS (SELECT 1 FROM metric_executions e WHERE e.metric_id = d.id AND e.status = 'running') AS running`;

const CLAIMED = `id, execution_policy::text AS policy_json, next_run_at, consecutive_failures`;

/**
 * Claims due rows on the partial `next_run_at` index. SKIP LOCKED lets concurrent replicas split the
 * work: a row another sweep holds is passed over, and once that sweep commits its advanced
 * `next_run_at` no longer matches. The locks last until the caller's transaction ends.
 */
const CLAIM_DUE = `
  WITH d AS (
    SELECT ${CLAIMED} FROM metrics
     WHERE next_run_at <= $1
     ORDER BY next_run_at
     LIMIT $2
     FOR UPDATE SKIP LOCKED
  )
  SELECT ${STATE_COLUMNS} FROM d`;

// One metric by id, due or not: waits for a sweep holding it (a few milliseconds) rather than skipping.
const CLAIM_ONE = `
  WITH d AS (SELECT ${CLAIMED} FROM metrics WHERE id = $1 FOR UPDATE)
  SELECT ${STATE_COLUMNS} FROM d`;

// Scheduled by policy yet off the schedule: a hand edit from on_demand (the API computes next_run_at itself).
const CLAIM_ORPHANS = `
  SELECT id, execution_policy::text AS policy_json FROM metrics
   WHERE next_run_at IS NULL AND execution_policy->>'mode' = 'scheduled'
   LIMIT $1
   FOR UPDATE SKIP LOCKED`;

const ADVANCE = `
  UPDATE metrics AS m SET next_run_at = u.next_run_at
    FROM unnest($1::uuid[], $2::timestamptz[]) AS u(id, next_run_at)
   WHERE m.id = u.id`;

function toState(row: Row): MetricScheduleState {
  const date = (value: unknown) => (value === null || value === undefined ? null : new Date(value as string));
  return {
    metricId: row.id as string,
    policyJson: row.policy_json as string,
    nextRunAt: date(row.next_run_at),
    consecutiveFailures: Number(row.consecutive_failures ?? 0),
    lastCompletedAt: date(row.last_completed_at),
    lastFailedAt: date(row.last_failed_at),
    inFlight: row.running === true,
  };
}

/** The scheduler's SQL over `metrics`; every method runs inside the caller's transaction. */
export class DueMetricsRepository {
  /** Locks up to `limit` metrics due at `now` (oldest first) that no other transaction holds. */
  async claimDue(tx: EntityManager, now: Date, limit: number): Promise<MetricScheduleState[]> {
    const rows: Row[] = await tx.query(CLAIM_DUE, [now.toISOString(), limit]);
    return rows.map(toState);
  }

  /** Locks one metric; empty when it does not exist. */
  async claimOne(tx: EntityManager, metricId: string): Promise<MetricScheduleState[]> {
    const rows: Row[] = await tx.query(CLAIM_ONE, [metricId]);
    return rows.map(toState);
  }

  /** Locks up to `limit` metrics whose stored policy says scheduled but whose `next_run_at` is NULL. */
  async claimOrphans(tx: EntityManager, limit: number): Promise<{ metricId: string; policyJson: string }[]> {
    const rows: Row[] = await tx.query(CLAIM_ORPHANS, [limit]);
    return rows.map((row) => ({ metricId: row.id as string, policyJson: row.policy_json as string }));
  }

  /** Sets each claimed metric's `next_run_at` (null takes it off the schedule) in one statement. */
  async advance(tx: EntityManager, updates: readonly { metricId: string; nextRunAt: Date | null }[]): Promise<void> {
    if (updates.length === 0) return;
    await tx.query(ADVANCE, [updates.map((u) => u.metricId), updates.map((u) => u.nextRunAt?.toISOString() ?? null)]);
  }
}
