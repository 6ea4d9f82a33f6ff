import { z } from 'zod';
import { type Validated, toFieldErrors } from '../errors/validation';

export const TRIGGERED_BY = ['system', 'user'] as const;
export type TriggeredBy = (typeof TRIGGERED_BY)[number];

export const RUN_REASONS = ['schedule', 'stale_refresh', 'cold_load', 'manual'] as const;
export type RunReason = (typeof RUN_REASONS)[number];

const isoTime = z.iso.datetime({ offset: true, error: 'must be an ISO-8601 time' });
const uuid = z.uuid({ error: 'must be a UUID' });

/** A request to run one metric, published on `metrics.run.<metricId>` (stream METRIC_RUNS). */
export const runRequestSchema = z.object({
  requestId: uuid,
  metricId: uuid,
  triggeredBy: z.enum(TRIGGERED_BY),
  reason: z.enum(RUN_REASONS),
  requestedAt: isoTime,
  /** For scheduled runs: the cron slot this request is for. */
  slot: isoTime.optional(),
});
export type RunRequest = z.infer<typeof runRequestSchema>;

export const METRIC_EVENT_TYPES = ['started', 'completed', 'failed'] as const;
export type MetricEventType = (typeof METRIC_EVENT_TYPES)[number];

/** Lifecycle event of one execution, published on `metrics.events.<metricId>` after the Postgres commit. */
export const metricEventSchema = z.object({
  type: z.enum(METRIC_EVENT_TYPES),
  metricId: uuid,
  executionId: uuid,
  triggeredBy: z.enum(TRIGGERED_BY),
  reason: z.enum(RUN_REASONS),
  requestedAt: isoTime.nullable(),
  startedAt: isoTime.nullable(),
  completedAt: isoTime.nullable(),
  error: z.string().nullable(),
  /**
   * A `completed` event's result when its JSON is at most METRIC_EVENT_RESULT_MAX_BYTES: readers may use
   * it instead of loading the execution from Postgres. Absent (larger result, other event types, older
   * executors) → load it.
   */
  result: z.unknown().optional(),
});
export type MetricEvent = z.infer<typeof metricEventSchema>;

/** Largest result (JSON bytes) a `completed` event carries inline. */
export const METRIC_EVENT_RESULT_MAX_BYTES = 32 * 1024;

/** Value of the `metric_latest` KV read model, keyed by metric id; rebuildable from Postgres. */
export const latestRecordSchema = z.object({
  metricId: uuid,
  completed: z.object({ executionId: uuid, startedAt: isoTime.nullable(), completedAt: isoTime }).nullable(),
  /** The newest failed execution, whatever its age; readers compare it with `completed`. */
  failure: z.object({ executionId: uuid, at: isoTime, message: z.string() }).nullable(),
  updatedAt: isoTime,
});
export type LatestRecord = z.infer<typeof latestRecordSchema>;

/** `metrics.freshness` request: freshness of one or many metrics. */
export const freshnessRequestSchema = z.strictObject({
  metricIds: z.array(uuid).min(1, 'must name at least one metric').max(1000, 'at most 1000 metrics per request'),
});
export type FreshnessRequest = z.infer<typeof freshnessRequestSchema>;

export interface FreshnessItem {
  metricId: string;
  /** `unknown` when no such metric exists. */
  state: 'fresh' | 'stale' | 'expired' | 'missing' | 'unknown';
  executionId: string | null;
  computedAt: string | null;
  ageSeconds: number | null;
  running: boolean;
  lastError: { message: string; executionId: string; at: string } | null;
}
export interface FreshnessReply {
  metrics: FreshnessItem[];
}

/** `scheduler.sweep` request: empty, or a `limit` on how many due metrics to claim. */
export const sweepRequestSchema = z.strictObject({ limit: z.number().int().min(1).max(1_000_000).optional() });
export type SweepRequest = z.infer<typeof sweepRequestSchema>;
export interface SweepReply {
  checked: number;
  triggered: number;
  skipped: number;
  triggeredMetricIds: string[];
  /** Set when more metrics were triggered than the reply lists (the list is capped to stay small). */
  triggeredMetricIdsTruncated?: boolean;
}

export const chatAskSchema = z.strictObject({
  message: z.string({ error: 'must be a string' }).trim().min(1, 'must not be empty').max(4000, 'must be at most 4000 characters'),
  dashboardId: uuid.optional(),
});
export type ChatAskRequest = z.infer<typeof chatAskSchema>;
export interface ChatAskReply {
  reply: string;
  metrics: { metricId: string; name: string; value: unknown; computedAt: string | null; state: string }[];
  dataAsOf: string | null;
}

export const chatSpecSchema = z.strictObject({
  prompt: z.string({ error: 'must be a string' }).trim().min(1, 'must not be empty').max(4000, 'must be at most 4000 characters'),
});
export type ChatSpecRequest = z.infer<typeof chatSpecSchema>;
export interface ChatSpecReply {
  name: string;
  metrics: ({ metricId: string } | { proposed: { name: string; definition: Record<string, unknown> } })[];
}

/** Parses an inbound message against a schema; the edge's one way to validate. */
export function parseMessage<T>(schema: z.ZodType<T>, data: unknown): Validated<T> {
  const parsed = schema.safeParse(data);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, errors: toFieldErrors(parsed.error) };
}

/** Decodes a JSON payload, never throwing: malformed JSON is a field error on `(body)`. */
export function decodeJson(data: Uint8Array): Validated<unknown> {
  try {
    return { ok: true, value: JSON.parse(Buffer.from(data).toString('utf8')) as unknown };
  } catch {
    return { ok: false, errors: [{ path: '(body)', message: 'is not valid JSON' }] };
  }
}
