import { type FieldError, toFieldErrors } from '@assemblr/shared';
import { z } from 'zod';
import { ProblemException } from './problem.exception';
import { isUuid } from './uuid-param.pipe';

/** Validates a request body (or query) against a schema: the parsed value, or a 400 naming every bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what: 'body' | 'query' = 'body'): z.infer<S> {
  if (what === 'body' && (input === undefined || input === null || typeof input !== 'object' || Array.isArray(input))) {
    throw ProblemException.validation([{ path: '(body)', message: 'must be a JSON object' }]);
  }
  const nul = nulCharacterPaths(input);
  if (nul.length) throw ProblemException.validation(nul.map((path) => ({ path, message: 'must not contain NUL characters' })));
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

/** Paths of strings (values or keys) holding U+0000, which PostgreSQL text and jsonb refuse. */
export function nulCharacterPaths(value: unknown, path = '', depth = 0): string[] {
  const here = path || '(body)';
  if (typeof value === 'string') return value.includes('\u0000') ? [here] : [];
  if (depth > 64 || value === null || typeof value !== 'object') return [];
  const found: string[] = [];
  for (const [key, child] of Object.entries(value)) {
    const childPath = path ? `${path}.${key}` : key;
    if (key.includes('\u0000')) found.push(childPath);
    found.push(...nulCharacterPaths(child, childPath, depth + 1));
    if (found.length >= 10) break;
  }
  return found;
}
