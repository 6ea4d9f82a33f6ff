import { type FieldError, toFieldErrors } from '@assemblr/shared';
import { z } from 'zod';
import { ProblemException } from './problem.exception';
import { isUuid } from './uuid-param.pipe';

/** Validates a request body (or query) against a schema: the parsed value, or a 400 naming every bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what: 'body' | 'query' = 'body'): z.infer<S> {
  if (what === 'body' && (input === undefined || input === null || typeof input !== 'object' || Array.isArray(input))) {
    throw ProblemException.validation([{ path: '(body)', message: 'must be a JSON object' }]);
  }
  const parsed = schema.safeParse(input ?? {});
  if (!parsed.success) throw ProblemException.validation(toFieldErrors(parsed.error));
  return parsed.data;
}

/** Throws a 400 when any field errors were collected. */
export function assertNoFieldErrors(errors: FieldError[]): void {
  if (errors.length) throw ProblemException.validation(errors);
}

/** A required, trimmed display name. */
export const nameSchema = z
  .string({ error: 'must be a string' })
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters');

/** A UUID (any version) in a body. */
export const uuidSchema = z
  .string({ error: 'must be a UUID' })
  .refine(isUuid, 'must be a UUID')
  .transform((v) => v.toLowerCase());

/** A JSON object (not an array, not null). */
export const jsonObjectSchema = z.record(z.string(), z.unknown(), { error: 'must be a JSON object' });
