import { type DataSourceKind, type FieldError, toFieldErrors, type Validated } from '@assemblr/shared';
import { z } from 'zod';

/** What the API shows in place of a secret; sent back unchanged on PATCH it keeps the stored secret. */
export const REDACTED = '***';

const SECRET_PARAM = /pass|secret|token|key/i;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const urlString = (protocols: string[], label: string) =>
  z
    .string({ error: 'must be a string' })
    .min(1, 'must not be empty')
    .max(2000, 'must be at most 2000 characters')
    .refine((value) => {
      try {
        const url = new URL(value);
        return protocols.includes(url.protocol) && url.hostname !== '';
      } catch {
        return false;
      }
    }, `must be a ${label} URL`);

const configSchemas = {
  postgres: z.strictObject({ connectionString: urlString(['postgres:', 'postgresql:'], 'postgres://user:password@host:port/database') }),
  http: z.strictObject({
    baseUrl: urlString(['http:', 'https:'], 'http(s)://'),
    headers: z
      .record(
        z.string().regex(HEADER_NAME, 'is not a valid header name').max(200, 'is too long'),
        z.string({ error: 'must be a string' }).max(8000, 'must be at most 8000 characters').refine((v) => !/[\r\n]/.test(v), 'must not contain line breaks'),
        { error: 'must be an object of header names to values' },
      )
      .refine((h) => Object.keys(h).length <= 50, 'at most 50 headers')
      .optional(),
  }),
  demo: z.strictObject({}),
} satisfies Record<DataSourceKind, z.ZodType>;

/** JSON schemas of every kind's config, for the OpenAPI document. */
export const dataSourceConfigJsonSchemas = (): Record<string, unknown> =>
  Object.fromEntries(Object.entries(configSchemas).map(([kind, schema]) => [kind, z.toJSONSchema(schema, { unrepresentable: 'any' })]));

/**
 * Validates a data source's `config` for its kind (errors under `config.*`). Redaction placeholders
 * (`***`) left in place of a password or header value are replaced by the stored secret, so a client can
 * send back what it read.
 */
export function parseDataSourceConfig(kind: DataSourceKind, input: unknown, stored?: Record<string, unknown>): Validated<Record<string, unknown>> {
  const parsed = configSchemas[kind].safeParse(input ?? {});
  if (!parsed.success) return { ok: false, errors: toFieldErrors(parsed.error, 'config') };
  const config = parsed.data as Record<string, unknown>;
  const errors: FieldError[] = [];
  if (kind === 'postgres') {
    const restored = restoreConnectionString(String(config.connectionString), stored?.connectionString);
    if (restored === null) errors.push({ path: 'config.connectionString', message: `"${REDACTED}" stands for a stored password; send the real one` });
    else config.connectionString = restored;
  }
  if (kind === 'http' && config.headers) {
    const storedHeaders = (stored?.headers ?? {}) as Record<string, string>;
    for (const [name, value] of Object.entries(config.headers as Record<string, string>)) {
      if (value !== REDACTED) continue;
      const kept = Object.entries(storedHeaders).find(([storedName]) => storedName.toLowerCase() === name.toLowerCase());
      if (kept) (config.headers as Record<string, string>)[name] = kept[1];
      else errors.push({ path: `config.headers.${name}`, message: `"${REDACTED}" stands for a stored value; send the real one` });
    }
  }
  return errors.length ? { ok: false, errors } : { ok: true, value: config };
}

/** The config as the API shows it: passwords and secret parameters of connection strings and all header values hidden. */
export function redactDataSourceConfig(kind: DataSourceKind, config: Record<string, unknown>): Record<string, unknown> {
  switch (kind) {
    case 'postgres':
      return { connectionString: redactConnectionString(String(config.connectionString ?? '')) };
    case 'http': {
      const headers = config.headers as Record<string, unknown> | undefined;
      return {
        baseUrl: redactConnectionString(String(config.baseUrl ?? '')),
        ...(headers ? { headers: Object.fromEntries(Object.keys(headers).map((name) => [name, REDACTED])) } : {}),
      };
    }
    case 'demo':
      return {};
  }
}

/** `postgres://user:secret@host/db?sslpassword=x` → `postgres://user:***@host/db?sslpassword=***`. */
export function redactConnectionString(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return REDACTED;
  }
  if (url.password) url.password = REDACTED;
  for (const key of [...url.searchParams.keys()]) if (SECRET_PARAM.test(key)) url.searchParams.set(key, REDACTED);
  // URL encodes "*" in the password; show the placeholder as written
  return url.toString().replace(/%2A%2A%2A/gi, REDACTED);
}

/** Puts the stored password / secret parameters back where the input carries the placeholder; null if there is none to restore. */
function restoreConnectionString(value: string, stored: unknown): string | null {
  const url = new URL(value);
  const placeholder = (v: string) => v === REDACTED || v === '%2A%2A%2A';
  const secretParams = [...url.searchParams.entries()].filter(([key, v]) => SECRET_PARAM.test(key) && v === REDACTED);
  if (!placeholder(url.password) && secretParams.length === 0) return value;
  if (typeof stored !== 'string') return null;
  const previous = new URL(stored);
  if (placeholder(url.password)) {
    if (!previous.password) return null;
    url.password = previous.password;
  }
  for (const [key] of secretParams) {
    const kept = previous.searchParams.get(key);
    if (kept === null) return null;
    url.searchParams.set(key, kept);
  }
  return url.toString();
}
