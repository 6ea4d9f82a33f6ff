import { z } from 'zod';
import { type FieldError, type Validated, toFieldErrors } from '../errors/validation';
import { cronSyntaxError, isValidTimeZone, type Schedule } from './cron.util';

export const EXECUTION_MODES = ['on_demand', 'scheduled'] as const;
export type ExecutionMode = (typeof EXECUTION_MODES)[number];

export const ON_EXPIRED = ['block', 'loading'] as const;
export type OnExpired = (typeof ON_EXPIRED)[number];

/** How and when a metric runs and how long its result may be served (API.md "Metrics"). */
export interface ExecutionPolicy {
  mode: ExecutionMode;
  schedule: Schedule | null;
  ttlSeconds: number;
  maxStalenessSeconds: number;
  onExpired: OnExpired;
}

export const DEFAULT_EXECUTION_POLICY: Readonly<ExecutionPolicy> = Object.freeze({
  mode: 'on_demand',
  schedule: null,
  ttlSeconds: 300,
  maxStalenessSeconds: 3600,
  onExpired: 'block',
});

const MAX_SECONDS = 10 * 365 * 24 * 3600;

const scheduleSchema = z.strictObject({
  cron: z.string({ error: 'must be a string' }).min(1, 'must not be empty').max(200, 'is too long'),
  timezone: z.string({ error: 'must be a string' }).min(1, 'must not be empty').max(100, 'is too long'),
});

const seconds = z
  .number({ error: 'must be a number of seconds' })
  .int('must be a whole number of seconds')
  .min(0, 'must be ≥ 0')
  .max(MAX_SECONDS, `must be ≤ ${MAX_SECONDS}`);

const policyInputSchema = z.strictObject({
  mode: z.enum(EXECUTION_MODES, { error: `must be one of ${EXECUTION_MODES.join(', ')}` }).optional(),
  schedule: scheduleSchema.nullable().optional(),
  ttlSeconds: seconds.optional(),
  maxStalenessSeconds: seconds.optional(),
  onExpired: z.enum(ON_EXPIRED, { error: `must be one of ${ON_EXPIRED.join(', ')}` }).optional(),
});

export type ExecutionPolicyInput = z.input<typeof policyInputSchema>;

/** JSON schema of the policy input, for OpenAPI documents. */
export const executionPolicyJsonSchema = (): Record<string, unknown> =>
  z.toJSONSchema(policyInputSchema, { unrepresentable: 'any' }) as Record<string, unknown>;

/**
 * Validates a policy and fills defaults. `base` fills the fields the input leaves out (the stored
 * policy on PATCH; the defaults otherwise). Errors name fields under `path` (e.g.
 * `executionPolicy.schedule.timezone`).
 */
export function parseExecutionPolicy(
  input: unknown,
  path = 'executionPolicy',
  base: ExecutionPolicy = DEFAULT_EXECUTION_POLICY,
): Validated<ExecutionPolicy> {
  if (input === undefined || input === null) return { ok: true, value: { ...base } };
  const parsed = policyInputSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: toFieldErrors(parsed.error, path) };
  const given = parsed.data;
  const mode = given.mode ?? base.mode;
  const ttlSeconds = given.ttlSeconds ?? base.ttlSeconds;
  const maxStalenessSeconds =
    given.maxStalenessSeconds ?? (given.ttlSeconds !== undefined ? Math.max(base.maxStalenessSeconds, ttlSeconds) : base.maxStalenessSeconds);
  const schedule = given.schedule === undefined ? (mode === 'scheduled' ? base.schedule : null) : given.schedule;
  const value: ExecutionPolicy = { mode, schedule: mode === 'scheduled' ? schedule : null, ttlSeconds, maxStalenessSeconds, onExpired: given.onExpired ?? base.onExpired };
  if (given.schedule && mode !== 'scheduled') {
    return { ok: false, errors: [{ path: `${path}.schedule`, message: 'is only allowed when mode is "scheduled"' }] };
  }
  const errors = policyRuleErrors(value, path);
  return errors.length ? { ok: false, errors } : { ok: true, value };
}

function policyRuleErrors(policy: ExecutionPolicy, path: string): FieldError[] {
  const errors: FieldError[] = [];
  if (policy.maxStalenessSeconds < policy.ttlSeconds) {
    errors.push({ path: `${path}.maxStalenessSeconds`, message: `must be ≥ ttlSeconds (${policy.ttlSeconds})` });
  }
  if (policy.mode === 'scheduled') {
    if (!policy.schedule) {
      errors.push({ path: `${path}.schedule`, message: 'is required when mode is "scheduled"' });
    } else {
      const cronError = cronSyntaxError(policy.schedule.cron);
      if (cronError) errors.push({ path: `${path}.schedule.cron`, message: `invalid cron expression: ${cronError}` });
      if (!isValidTimeZone(policy.schedule.timezone)) {
        errors.push({ path: `${path}.schedule.timezone`, message: `unknown IANA time zone "${policy.schedule.timezone}"` });
      }
    }
  }
  return errors;
}

/** Reads a stored policy (jsonb) leniently: anything unusable falls back to the defaults. */
export function storedExecutionPolicy(raw: unknown): ExecutionPolicy {
  const parsed = parseExecutionPolicy(raw);
  return parsed.ok ? parsed.value : { ...DEFAULT_EXECUTION_POLICY };
}
