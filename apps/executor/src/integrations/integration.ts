import type { DataSourceKind } from '@assemblr/shared';
import type { z } from 'zod';

/** The data source a run reads from, as stored (config may hold secrets: never log or return it). */
export interface SourceRef {
  id: string;
  kind: DataSourceKind;
  config: Record<string, unknown>;
}

export interface IntegrationRun {
  source: SourceRef;
  definition: Record<string, unknown>;
  /** Aborted on timeout, lease loss or shutdown: stop work and reject. */
  signal: AbortSignal;
  /** The run's time limit, for integrations that can enforce it server-side too (statement_timeout). */
  timeoutMs: number;
}

/** One kind of data source. `run` resolves to the execution's result or rejects with an {@link IntegrationError}. */
export interface Integration {
  readonly kind: DataSourceKind;
  run(run: IntegrationRun): Promise<unknown>;
  close?(): Promise<void>;
}

/** A failure whose message a user can act on; it never contains secrets. `timeout`: the source gave up on time. */
export class IntegrationError extends Error {
  constructor(
    message: string,
    readonly kind: 'error' | 'timeout' = 'error',
  ) {
    super(message);
    this.name = 'IntegrationError';
  }
}

/** Validates a definition or config with zod; the error names the offending field. */
export function parseWith<T>(schema: z.ZodType<T>, value: unknown, what: 'definition' | 'config'): T {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = [what, ...issue.path.map(String)].join('.');
  throw new IntegrationError(`invalid ${what === 'config' ? 'data source config' : 'metric definition'}: ${path} ${issue.message}`);
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
