import { commonEnvShape, envInt, loadConfig } from '@assemblr/shared';
import { z } from 'zod';

export const executorEnvSchema = z.object({
  ...commonEnvShape,
  /** Run requests handled at once by one replica. */
  EXECUTOR_CONCURRENCY: envInt(16, 1, 1000),
  /** Lease time: a crashed holder's metric is free again after this (the lease bucket's TTL). */
  EXECUTOR_LEASE_TTL_MS: envInt(30_000, 300, 3_600_000),
  /** JetStream ack wait of the shared consumer; runs call `working()` on every lease renewal. */
  EXECUTOR_ACK_WAIT_MS: envInt(30_000, 500, 3_600_000),
  /** Deliveries of one request before JetStream gives up on it (naks count as deliveries). */
  EXECUTOR_MAX_DELIVER: envInt(50, 2, 100_000),
  /** Cap on any run's time limit (`definition.timeoutMs` may only lower it). */
  EXECUTOR_MAX_RUN_MS: envInt(60_000, 10, 3_600_000),
  /** How often the reaper looks for running rows whose worker stopped renewing its lease. */
  EXECUTOR_REAPER_INTERVAL_MS: envInt(5_000, 50, 3_600_000),
  /** Runs of one data source at once on one replica. */
  EXECUTOR_SOURCE_CONCURRENCY: envInt(4, 1, 1000),
  /** How long shutdown waits for in-flight runs before failing them and handing their requests back. */
  EXECUTOR_SHUTDOWN_TIMEOUT_MS: envInt(10_000, 0, 600_000),
  /** Largest HTTP response body an `http` metric may read. */
  EXECUTOR_HTTP_MAX_BYTES: envInt(1_048_576, 1, 1_073_741_824),
  /** Most rows a `postgres` metric may return. */
  EXECUTOR_MAX_ROWS: envInt(10_000, 1, 10_000_000),
  /** Open `postgres` data-source pools kept at once (least recently used closed first). */
  EXECUTOR_MAX_SOURCE_POOLS: envInt(32, 1, 10_000),
});

export type ExecutorConfig = Readonly<z.infer<typeof executorEnvSchema>>;

export function loadExecutorConfig(env: NodeJS.ProcessEnv = process.env): ExecutorConfig {
  return loadConfig('executor', executorEnvSchema, env);
}
