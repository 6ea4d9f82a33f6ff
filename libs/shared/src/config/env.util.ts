import { existsSync } from 'node:fs';
import { z } from 'zod';

/** Thrown when the environment is unusable; lists every bad key at once. */
export class ConfigError extends Error {
  constructor(
    readonly service: string,
    readonly problems: { key: string; message: string }[],
  ) {
    super(`${service}: invalid configuration:\n${problems.map((p) => `  - ${p.key}: ${p.message}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const urlWithProtocols = (protocols: string[]) =>
  z.string().refine(
    (value) =>
      value.split(',').every((part) => {
        try {
          return protocols.includes(new URL(part.trim()).protocol);
        } catch {
          return false;
        }
      }),
    { message: `must be a ${protocols.map((p) => p.replace(':', '://')).join(' or ')} URL` },
  );

/** A positive whole number read from the environment. */
export const envInt = (fallback: number, min = 1, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(min, `must be ≥ ${min}`)
    .max(max, `must be ≤ ${max}`)
    .default(fallback);

/** A true/false flag read from the environment (`true`/`false`/`1`/`0`). */
export const envFlag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
    .transform((v) => v === 'true' || v === '1')
    .default(fallback);

/** Variables every service reads (API.md "Running it"). */
export const commonEnvShape = {
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: urlWithProtocols(['postgres:', 'postgresql:']).default('postgres://postgres@127.0.0.1:5432/assemblr'),
  NATS_URL: urlWithProtocols(['nats:', 'tls:', 'ws:', 'wss:']).default('nats://127.0.0.1:4222'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Prefix for every NATS subject, stream and bucket (isolation of tests and side-by-side stacks). */
  ASSEMBLR_NATS_PREFIX: z.string().regex(/^[A-Za-z0-9_-]*$/, 'may only contain letters, digits, "_" and "-"').default(''),
  DATABASE_POOL_SIZE: envInt(10, 1, 500),
  /** nats.js async traces: a stack captured per request / JetStream publish, for timeout errors' context (costs CPU). */
  NATS_ASYNC_TRACES: envFlag(false),
};

export const commonEnvSchema = z.object(commonEnvShape);
export type CommonConfig = z.infer<typeof commonEnvSchema>;

let dotenvLoaded = false;

/** Reads `.env` from the working directory once, without overriding variables already set. */
export function loadDotEnv(path = '.env'): void {
  if (dotenvLoaded) return;
  dotenvLoaded = true;
  if (existsSync(path)) process.loadEnvFile(path);
}

/**
 * Validates the environment once at boot against `schema`; throws {@link ConfigError} naming every
 * bad key. Empty strings count as unset. The result is frozen.
 */
export function loadConfig<S extends z.ZodObject>(service: string, schema: S, env: NodeJS.ProcessEnv = process.env): Readonly<z.infer<S>> {
  const input: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined && value !== '') input[key] = value;
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(
      service,
      parsed.error.issues.map((issue) => ({ key: issue.path.map(String).join('.') || '(env)', message: issue.message })),
    );
  }
  return Object.freeze(parsed.data) as Readonly<z.infer<S>>;
}

