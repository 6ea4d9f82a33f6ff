import type { ZodError } from 'zod';

/** One offending field: `path` is dotted (`executionPolicy.schedule.cron`), `message` says what is wrong. */
export interface FieldError {
  path: string;
  message: string;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

/** Flattens a zod error into field errors, prefixing each path with `base` when given. */
export function toFieldErrors(error: ZodError, base?: string): FieldError[] {
  return error.issues.map((issue) => {
    const parts = [base, ...issue.path.map(String)].filter((p): p is string => p !== undefined && p !== '');
    return { path: parts.join('.') || '(body)', message: issue.message };
  });
}
