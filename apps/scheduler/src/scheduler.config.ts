import { commonEnvShape, envInt, loadConfig } from '@assemblr/shared';
import { z } from 'zod';

export const schedulerEnvSchema = z.object({
  ...commonEnvShape,
  /** Pause between timer sweeps; 0 turns the timer off (sweeps then only run on `scheduler.sweep` requests). */
  SCHEDULER_SWEEP_INTERVAL_MS: envInt(10_000, 0, 24 * 3600_000),
  /**
   * How often the scheduler looks for metrics whose policy is scheduled but whose next_run_at is NULL
   * (an operator's hand edit) and gives them their next slot; 0 turns the scan off. A sequential scan.
   */
  SCHEDULER_ADOPT_INTERVAL_MS: envInt(60_000, 0, 24 * 3600_000),
  /** Due metrics claimed per transaction. */
  SCHEDULER_BATCH_SIZE: envInt(500, 1, 10_000),
  /** Claim transactions one sweep runs side by side (their SKIP LOCKED claims split the due rows). */
  SCHEDULER_SWEEP_CONCURRENCY: envInt(2, 1, 32),
  /** Run requests written at once and awaiting their JetStream acks together (per claimed batch); also bounds lease reads. */
  SCHEDULER_PUBLISH_CONCURRENCY: envInt(256, 1, 10_000),
  /** Upper bound of the deterministic per-metric offset inside a slot (0 = every metric fires on the slot). */
  SCHEDULER_MAX_JITTER_MS: envInt(0, 0, 24 * 3600_000),
  /** Delay after the first consecutive failure; doubles per further failure. */
  SCHEDULER_BACKOFF_BASE_MS: envInt(60_000, 0, 7 * 24 * 3600_000),
  /** Upper bound of the failure backoff. */
  SCHEDULER_BACKOFF_CAP_MS: envInt(3_600_000, 0, 30 * 24 * 3600_000),
});

export type SchedulerConfig = Readonly<z.infer<typeof schedulerEnvSchema>>;

export function loadSchedulerConfig(env: NodeJS.ProcessEnv = process.env): SchedulerConfig {
  return loadConfig('scheduler', schedulerEnvSchema, env);
}
