import { randomBytes } from 'node:crypto';
import { commonEnvShape, ConfigError, envInt, loadConfig } from '@assemblr/shared';
import { z } from 'zod';

export const gatewayEnvSchema = z.object({
  ...commonEnvShape,
  PORT: envInt(3000, 0, 65535),
  HOST: z.string().default('0.0.0.0'),
  ASSEMBLR_API_TOKEN: z.string().optional(),
  CRON_SECRET: z.string().optional(),
  /** Upper bound a blocking read waits for its run (API.md: default 10 s). */
  BLOCKING_READ_TIMEOUT_MS: envInt(10_000, 1, 120_000),
  /** How often cached views and definitions are revalidated against PostgreSQL (hand edits show within this). */
  CACHE_REVALIDATE_MS: envInt(2_000, 100, 600_000),
  /** How many metrics (definition + latest result) and dashboards the read model keeps in memory (LRU). */
  CACHE_MAX_METRICS: envInt(10_000, 1, 10_000_000),
  CACHE_MAX_DASHBOARDS: envInt(2_000, 1, 1_000_000),
  /** A burst of stale reads publishes one refresh per result; this replica re-publishes at most this often. */
  REFRESH_DEDUPE_MS: envInt(15_000, 100, 600_000),
  /** Comment lines keeping idle SSE streams open through proxies. */
  SSE_HEARTBEAT_MS: envInt(15_000, 100, 600_000),
  BODY_LIMIT_BYTES: envInt(1_048_576, 1024, 64 * 1_048_576),
  /** How long /api/chat waits for a chat replica (which may itself await a run and a language model). */
  CHAT_TIMEOUT_MS: envInt(30_000, 100, 300_000),
  /** How long the cron endpoint waits for a scheduler replica to finish its sweep before answering 503. */
  SCHEDULER_SWEEP_TIMEOUT_MS: envInt(30_000, 1, 600_000),
});

export type GatewayConfig = Readonly<z.infer<typeof gatewayEnvSchema>> & { ASSEMBLR_API_TOKEN: string; tokenGenerated: boolean };

/** Loads the gateway's environment; outside production a missing API token is generated (and printed by main). */
export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const config = loadConfig('gateway', gatewayEnvSchema, env);
  if (config.ASSEMBLR_API_TOKEN) return Object.freeze({ ...config, ASSEMBLR_API_TOKEN: config.ASSEMBLR_API_TOKEN, tokenGenerated: false });
  if (config.NODE_ENV === 'production') {
    throw new ConfigError('gateway', [{ key: 'ASSEMBLR_API_TOKEN', message: 'is required when NODE_ENV=production' }]);
  }
  return Object.freeze({ ...config, ASSEMBLR_API_TOKEN: randomBytes(24).toString('base64url'), tokenGenerated: true });
}
