import type { DataSource, EntityManager } from 'typeorm';
import type { ExecutionStatus, FailureKind } from '../database/entities/metric-execution.entity';
import type { RunReason, TriggeredBy } from '../nats/messages';
import { ExecutionStoreError } from './execution-store.errors';

/** An execution as the services see it (camelCase, Dates). */
export interface ExecutionRecord {
  id: string;
  metricId: string;
  status: ExecutionStatus;
  triggeredBy: TriggeredBy;
  reason: RunReason;
  requestedAt: Date;
  startedAt: Date | null;
  completedAt: Date | null;
  result: unknown;
  error: string | null;
  /** Why a failed execution failed (null when not failed, or for rows written without it). */
  failureKind: FailureKind | null;
  requestId: string | null;
  workerId: string | null;
  attempt: number;
  durationMs: number | null;
}

export interface ExecutionTrigger {
  /** A caller-chosen id (the executor names it in its lease before the row exists); generated when absent. */
  id?: string;
  triggeredBy: TriggeredBy;
  reason: RunReason;
  requestedAt?: Date;
  requestId?: string | null;
  workerId?: string | null;
  attempt?: number;
}

/** Latest completed result and newest failure newer than it, for one metric. */
export interface LatestExecutions {
  metricId: string;
  completed: ExecutionRecord | null;
  /** The newest failed execution that finished after `completed` (or any, when nothing completed). */
  failure: ExecutionRecord | null;
}

/** Latest completed execution (its `result` is not read: always null) and the newest failure, whatever its age. */
export interface LatestOutcomes {
  metricId: string;
  completed: ExecutionRecord | null;
  /** The newest failed execution; unlike {@link LatestExecutions}, possibly older than `completed`. */
  failure: ExecutionRecord | null;
}

const COLUMNS = `id, metric_id, status, triggered_by, reason, requested_at, started_at, completed_at, result, error,
  failure_kind, request_id, worker_id, attempt, duration_ms`;
const NO_RESULT_COLUMNS = COLUMNS.replace('result, ', 'NULL::jsonb AS result, ');
const COLUMN_NAMES = COLUMNS.split(',').map((c) => c.trim());

type Row = Record<string, unknown>;

function toRecord(row: Row): ExecutionRecord {
  const date = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));
  return {
    id: row.id as string,
    metricId: row.metric_id as string,
    status: row.status as ExecutionStatus,
    triggeredBy: row.triggered_by as TriggeredBy,
    reason: row.reason as RunReason,
    requestedAt: new Date(row.requested_at as string),
    startedAt: date(row.started_at),
    completedAt: date(row.completed_at),
    result: row.result ?? null,
    error: (row.error as string | null) ?? null,
    failureKind: (row.failure_kind as FailureKind | null) ?? null,
    requestId: (row.request_id as string | null) ?? null,
    workerId: (row.worker_id as string | null) ?? null,
    attempt: Number(row.attempt ?? 1),
    durationMs: row.duration_ms === null || row.duration_ms === undefined ? null : Number(row.duration_ms),
  };
}

/** pg's "unique_violation" on the one-running-per-metric index. */
function isOneRunningViolation(err: unknown): boolean {
  const e = err as { code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } };
  const code = e.code ?? e.driverError?.code;
  const constraint = e.constraint ?? e.driverError?.constraint;
  return code === '23505' && constraint === 'metric_executions_one_running_idx';
}

function isForeignKeyViolation(err: unknown): boolean {
  const e = err as { code?: string; driverError?: { code?: string } };
  return (e.code ?? e.driverError?.code) === '23503';
}

type Queryable = Pick<DataSource | EntityManager, 'query'>;

/**
 * The only writer of `metric_executions`. Transitions are guarded in SQL:
 * pending → running → completed | failed, pending → failed; a finished execution never changes again,
 * and the partial unique index makes a second concurrent `markRunning` of one metric an `already_running` error.
 */
export class ExecutionStore {
  constructor(private readonly db: Queryable) {}

  async createExecution(metricId: string, trigger: ExecutionTrigger): Promise<ExecutionRecord> {
    try {
      const rows: Row[] = await this.db.query(
        `INSERT INTO metric_executions (id, metric_id, status, triggered_by, reason, requested_at, request_id, worker_id, attempt)
         VALUES (COALESCE($8::uuid, gen_random_uuid()), $1, 'pending', $2, $3, COALESCE($4, now()), $5, $6, $7) RETURNING ${COLUMNS}`,
        [metricId, trigger.triggeredBy, trigger.reason, trigger.requestedAt ?? null, trigger.requestId ?? null, trigger.workerId ?? null, trigger.attempt ?? 1, trigger.id ?? null],
      );
      return toRecord(rows[0]);
    } catch (err) {
      if (isForeignKeyViolation(err)) throw new ExecutionStoreError('metric_not_found', `metric ${metricId} does not exist`);
      throw err;
    }
  }

  /**
   * Creates an execution that starts at once: pending → running in one statement (one commit instead of
   * two on the executor's hot path). Same guards as createExecution + markRunning: `metric_not_found`,
   * and `already_running` when another execution of the metric is running.
   */
  async startExecution(metricId: string, trigger: ExecutionTrigger): Promise<ExecutionRecord> {
    try {
      const rows: Row[] = await this.db.query(
        `INSERT INTO metric_executions (id, metric_id, status, triggered_by, reason, requested_at, started_at, request_id, worker_id, attempt)
         VALUES (COALESCE($8::uuid, gen_random_uuid()), $1, 'running', $2, $3, COALESCE($4, now()), now(), $5, $6, $7) RETURNING ${NO_RESULT_COLUMNS}`,
        [metricId, trigger.triggeredBy, trigger.reason, trigger.requestedAt ?? null, trigger.requestId ?? null, trigger.workerId ?? null, trigger.attempt ?? 1, trigger.id ?? null],
      );
      return toRecord(rows[0]);
    } catch (err) {
      if (isForeignKeyViolation(err)) throw new ExecutionStoreError('metric_not_found', `metric ${metricId} does not exist`);
      if (isOneRunningViolation(err)) throw new ExecutionStoreError('already_running', `another execution of this metric is already running`);
      throw err;
    }
  }

  /**
   * `startExecution` for many executions in one INSERT (callers batching a hot path). Every item needs
   * its `trigger.id`. Answers per item, in order, the record or the error `startExecution` would throw;
   * a batch refused as a whole (a missing metric, one already running) is retried item by item.
   */
  async startExecutions(items: readonly { metricId: string; trigger: ExecutionTrigger & { id: string } }[]): Promise<(ExecutionRecord | ExecutionStoreError)[]> {
    if (items.length === 1) return [await settle(() => this.startExecution(items[0].metricId, items[0].trigger))];
    const col = <T>(pick: (i: (typeof items)[number]) => T) => items.map(pick);
    let rows: Row[];
    try {
      rows = await this.db.query(
        `INSERT INTO metric_executions (id, metric_id, status, triggered_by, reason, requested_at, started_at, request_id, worker_id, attempt)
         SELECT i.id, i.metric_id, 'running', i.triggered_by, i.reason, COALESCE(i.requested_at, now()), now(), i.request_id, i.worker_id, i.attempt
           FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::timestamptz[], $6::uuid[], $7::text[], $8::int[])
             AS i(id, metric_id, triggered_by, reason, requested_at, request_id, worker_id, attempt)
         RETURNING ${NO_RESULT_COLUMNS}`,
        [
          col((i) => i.trigger.id),
          col((i) => i.metricId),
          col((i) => i.trigger.triggeredBy),
          col((i) => i.trigger.reason),
          col((i) => i.trigger.requestedAt ?? null),
          col((i) => i.trigger.requestId ?? null),
          col((i) => i.trigger.workerId ?? null),
          col((i) => i.trigger.attempt ?? 1),
        ],
      );
    } catch (err) {
      if (!isForeignKeyViolation(err) && !isOneRunningViolation(err)) throw err;
      return Promise.all(items.map((i) => settle(() => this.startExecution(i.metricId, i.trigger))));
    }
    const byId = new Map(rows.map((row) => [row.id as string, toRecord(row)]));
    return items.map((i) => byId.get(i.trigger.id) ?? new ExecutionStoreError('execution_not_found', `execution ${i.trigger.id} was not created`));
  }

  /** pending → running. Throws `already_running` when another execution of the metric is running. */
  async markRunning(id: string, workerId?: string): Promise<ExecutionRecord> {
    let rows: Row[];
    try {
      rows = await this.db.query(
        `UPDATE metric_executions SET status = 'running', started_at = now(), worker_id = COALESCE($2, worker_id)
         WHERE id = $1 AND status = 'pending' RETURNING ${NO_RESULT_COLUMNS}`,
        [id, workerId ?? null],
      );
    } catch (err) {
      if (isOneRunningViolation(err)) throw new ExecutionStoreError('already_running', `another execution of this metric is already running`);
      throw err;
    }
    const [row] = firstRows(rows);
    if (!row) throw await this.refusal(id, 'running');
    return toRecord(row);
  }

  /** running → completed with `result`; resets the metric's failure streak. */
  async completeExecution(id: string, result: unknown): Promise<ExecutionRecord> {
    const rows: Row[] = await this.db.query(
      `WITH done AS (
         UPDATE metric_executions
            SET status = 'completed', completed_at = now(), result = $2::jsonb, error = NULL,
                duration_ms = GREATEST(0, round(extract(epoch FROM now() - started_at) * 1000))::int
          WHERE id = $1 AND status = 'running'
          RETURNING ${COLUMNS}
       ), streak AS (
         UPDATE metrics SET consecutive_failures = 0
          WHERE id = (SELECT metric_id FROM done) AND consecutive_failures <> 0
       )
       SELECT * FROM done`,
      [id, JSON.stringify(result ?? null)],
    );
    const [row] = firstRows(rows);
    if (!row) throw await this.refusal(id, 'completed');
    return toRecord(row);
  }

  /**
   * `completeExecution` for many executions in one statement. Answers per item, in order, the record
   * (its `result` is the one given, not read back) or the refusal `completeExecution` would throw.
   */
  async completeExecutions(items: readonly { id: string; result: unknown }[]): Promise<(ExecutionRecord | ExecutionStoreError)[]> {
    const returning = NO_RESULT_COLUMNS.split(',').map((c) => c.trim()).map((c) => (c.includes(' AS ') ? c : `e.${c}`)).join(', ');
    const rows: Row[] = await this.db.query(
      `WITH input AS (
         SELECT * FROM unnest($1::uuid[], $2::jsonb[]) AS i(id, result)
       ), done AS (
         UPDATE metric_executions e
            SET status = 'completed', completed_at = now(), result = input.result, error = NULL,
                duration_ms = GREATEST(0, round(extract(epoch FROM now() - e.started_at) * 1000))::int
           FROM input
          WHERE e.id = input.id AND e.status = 'running'
          RETURNING ${returning}
       ), streak AS (
         UPDATE metrics SET consecutive_failures = 0
          WHERE id IN (SELECT metric_id FROM done) AND consecutive_failures <> 0
       )
       SELECT * FROM done`,
      [items.map((i) => i.id), items.map((i) => JSON.stringify(i.result ?? null))],
    );
    const byId = new Map(firstRows(rows).map((row) => [row.id as string, toRecord(row)]));
    return Promise.all(
      items.map(async (i) => {
        const record = byId.get(i.id);
        return record ? { ...record, result: i.result ?? null } : this.refusal(i.id, 'completed');
      }),
    );
  }

  /** pending | running → failed with `error` (and why: `kind`); extends the metric's failure streak. */
  async failExecution(id: string, error: string, kind: FailureKind = 'error'): Promise<ExecutionRecord> {
    const rows: Row[] = await this.db.query(
      `WITH done AS (
         UPDATE metric_executions
            SET status = 'failed', completed_at = now(), error = $2, failure_kind = $3,
                duration_ms = CASE WHEN started_at IS NULL THEN NULL
                              ELSE GREATEST(0, round(extract(epoch FROM now() - started_at) * 1000))::int END
          WHERE id = $1 AND status IN ('pending', 'running')
          RETURNING ${NO_RESULT_COLUMNS}
       ), streak AS (
         UPDATE metrics SET consecutive_failures = consecutive_failures + 1 WHERE id = (SELECT metric_id FROM done)
       )
       SELECT * FROM done`,
      [id, error.slice(0, 10_000), kind],
    );
    const [row] = firstRows(rows);
    if (!row) throw await this.refusal(id, 'failed');
    return toRecord(row);
  }

  async getExecution(id: string): Promise<ExecutionRecord | null> {
    const rows: Row[] = await this.db.query(`SELECT ${COLUMNS} FROM metric_executions WHERE id = $1`, [id]);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** The metric's newest completed execution (by `completed_at`), with its result. */
  async getLatestExecution(metricId: string): Promise<ExecutionRecord | null> {
    const rows: Row[] = await this.db.query(
      `SELECT ${COLUMNS} FROM metric_executions WHERE metric_id = $1 AND status = 'completed' ORDER BY completed_at DESC LIMIT 1`,
      [metricId],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** The newest failure that finished after `newerThan` (any failure when null). */
  async getLatestFailure(metricId: string, newerThan: Date | null = null): Promise<ExecutionRecord | null> {
    const rows: Row[] = await this.db.query(
      `SELECT ${NO_RESULT_COLUMNS} FROM metric_executions
        WHERE metric_id = $1 AND status = 'failed' AND ($2::timestamptz IS NULL OR completed_at > $2)
        ORDER BY completed_at DESC LIMIT 1`,
      [metricId, newerThan],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** The newest finished (completed or failed) execution: what answers a request made before it finished. */
  async getLatestFinished(metricId: string): Promise<ExecutionRecord | null> {
    const rows: Row[] = await this.db.query(
      `SELECT * FROM (
         (SELECT ${NO_RESULT_COLUMNS} FROM metric_executions WHERE metric_id = $1 AND status = 'completed' ORDER BY completed_at DESC LIMIT 1)
         UNION ALL
         (SELECT ${NO_RESULT_COLUMNS} FROM metric_executions WHERE metric_id = $1 AND status = 'failed' ORDER BY completed_at DESC LIMIT 1)
       ) t ORDER BY completed_at DESC LIMIT 1`,
      [metricId],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async getRunningExecution(metricId: string): Promise<ExecutionRecord | null> {
    const rows: Row[] = await this.db.query(
      `SELECT ${NO_RESULT_COLUMNS} FROM metric_executions WHERE metric_id = $1 AND status = 'running'`,
      [metricId],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** Latest completed (with result) and the newest failure newer than it, for many metrics in one query. */
  async getLatestForMetrics(metricIds: readonly string[]): Promise<Map<string, LatestExecutions>> {
    return this.latestPerMetric(metricIds, { withResult: true, failureAfterCompleted: true });
  }

  /**
   * Latest completed execution and the newest failure (whatever its age) for many metrics in one indexed
   * query, without result payloads: what freshness and the `metric_latest` read model are made of.
   */
  async getLatestOutcomes(metricIds: readonly string[]): Promise<Map<string, LatestOutcomes>> {
    return this.latestPerMetric(metricIds, { withResult: false, failureAfterCompleted: false });
  }

  /** One LATERAL pair over the partial "latest completed" / "latest failed" indexes per metric. */
  private async latestPerMetric(
    metricIds: readonly string[],
    options: { withResult: boolean; failureAfterCompleted: boolean },
  ): Promise<Map<string, LatestExecutions>> {
    const out = new Map<string, LatestExecutions>();
    if (metricIds.length === 0) return out;
    const columns = COLUMN_NAMES.filter((c) => options.withResult || c !== 'result');
    const inner = columns.map((c) => `e.${c}`).join(', ');
    const prefixed = (alias: string) => columns.map((c) => `${alias}.${c} AS ${alias}_${c}`).join(', ');
    const afterCompleted = options.failureAfterCompleted ? 'AND (c.completed_at IS NULL OR e.completed_at > c.completed_at)' : '';
    const rows: Row[] = await this.db.query(
      `SELECT m.id AS metric_id_key, ${prefixed('c')}, ${prefixed('f')}
         FROM unnest($1::uuid[]) AS m(id)
         LEFT JOIN LATERAL (
           SELECT ${inner} FROM metric_executions e WHERE e.metric_id = m.id AND e.status = 'completed' ORDER BY e.completed_at DESC LIMIT 1
         ) c ON true
         LEFT JOIN LATERAL (
           SELECT ${inner} FROM metric_executions e WHERE e.metric_id = m.id AND e.status = 'failed' ${afterCompleted}
            ORDER BY e.completed_at DESC LIMIT 1
         ) f ON true`,
      [metricIds],
    );
    const pick = (row: Row, alias: string): ExecutionRecord | null => {
      if (!row[`${alias}_id`]) return null;
      const sub: Row = {};
      for (const [key, value] of Object.entries(row)) if (key.startsWith(`${alias}_`)) sub[key.slice(alias.length + 1)] = value;
      return toRecord(sub);
    };
    for (const row of rows) {
      const metricId = row.metric_id_key as string;
      out.set(metricId, { metricId, completed: pick(row, 'c'), failure: pick(row, 'f') });
    }
    return out;
  }

  /** Newest first, by request time. */
  async listExecutions(metricId: string, limit = 20): Promise<ExecutionRecord[]> {
    const rows: Row[] = await this.db.query(
      `SELECT ${NO_RESULT_COLUMNS} FROM metric_executions WHERE metric_id = $1 ORDER BY requested_at DESC, id DESC LIMIT $2`,
      [metricId, limit],
    );
    return rows.map(toRecord);
  }

  private async refusal(id: string, to: ExecutionStatus): Promise<ExecutionStoreError> {
    const rows: Row[] = await this.db.query(`SELECT status FROM metric_executions WHERE id = $1`, [id]);
    if (!rows[0]) return new ExecutionStoreError('execution_not_found', `execution ${id} does not exist`);
    return new ExecutionStoreError('invalid_transition', `execution ${id} is ${String(rows[0].status)} and cannot become ${to}`);
  }
}

async function settle<T>(op: () => Promise<T>): Promise<T | ExecutionStoreError> {
  try {
    return await op();
  } catch (err) {
    if (err instanceof ExecutionStoreError) return err;
    throw err;
  }
}

/** TypeORM returns `[rows, count]` for UPDATE … RETURNING and plain rows for SELECT/CTE. */
function firstRows(result: unknown): Row[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') {
    return result[0] as Row[];
  }
  return result as Row[];
}
