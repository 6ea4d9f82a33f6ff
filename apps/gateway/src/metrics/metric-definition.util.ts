import { type DataSourceKind, toFieldErrors, type Validated } from '@assemblr/shared';
import { z } from 'zod';

const timeoutMs = z.number({ error: 'must be a number of milliseconds' }).int('must be a whole number').min(1, 'must be ≥ 1').max(300_000, 'must be ≤ 300000');

/** A metric's `definition` per data source kind (API.md "Data sources" table). */
const definitionSchemas = {
  postgres: z.strictObject({
    sql: z.string({ error: 'must be a string' }).trim().min(1, 'must not be empty').max(100_000, 'must be at most 100000 characters'),
    timeoutMs: timeoutMs.optional(),
  }),
  http: z.strictObject({
    path: z.string({ error: 'must be a string' }).min(1, 'must not be empty').max(2000, 'must be at most 2000 characters').refine((p) => p.startsWith('/'), 'must start with "/"'),
    valuePath: z.string({ error: 'must be a string' }).max(500, 'must be at most 500 characters').optional(),
    timeoutMs: timeoutMs.optional(),
  }),
  demo: z.strictObject({
    value: z.unknown().optional(),
    delayMs: z.number({ error: 'must be a number of milliseconds' }).int('must be a whole number').min(0, 'must be ≥ 0').max(60_000, 'must be ≤ 60000').optional(),
    fail: z.boolean({ error: 'must be true or false' }).optional(),
  }),
} satisfies Record<DataSourceKind, z.ZodType>;

/** JSON schemas of every kind's definition, for the OpenAPI document. */
export const metricDefinitionJsonSchemas = (): Record<string, unknown> =>
  Object.fromEntries(Object.entries(definitionSchemas).map(([kind, schema]) => [kind, z.toJSONSchema(schema, { unrepresentable: 'any' })]));

/** Validates a definition for the data source's kind; errors name fields under `definition.*`. */
export function parseMetricDefinition(kind: DataSourceKind, input: unknown): Validated<Record<string, unknown>> {
  if (input === undefined) return { ok: false, errors: [{ path: 'definition', message: 'is required' }] };
  const parsed = definitionSchemas[kind].safeParse(input);
  if (!parsed.success) return { ok: false, errors: toFieldErrors(parsed.error, 'definition') };
  return { ok: true, value: parsed.data as Record<string, unknown> };
}
