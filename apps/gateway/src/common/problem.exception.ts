import type { FieldError } from '@assemblr/shared';

/** What went wrong, independent of HTTP; mapped to a status in exactly one place (problem-status.util.ts). */
export const PROBLEM_CODES = [
  'validation_failed',
  'malformed_id',
  'not_found',
  'conflict',
  'unauthorized',
  'payload_too_large',
  'unsupported_media_type',
  'unavailable',
  'internal',
] as const;
export type ProblemCode = (typeof PROBLEM_CODES)[number];

/** Thrown by gateway services and controllers; rendered as application/problem+json. */
export class ProblemException extends Error {
  constructor(
    readonly code: ProblemCode,
    readonly detail: string,
    readonly errors?: FieldError[],
  ) {
    super(detail);
    this.name = 'ProblemException';
  }

  static validation(errors: FieldError[]): ProblemException {
    const detail = errors.map((e) => `${e.path}: ${e.message}`).join('; ');
    return new ProblemException('validation_failed', detail || 'the request is invalid', errors);
  }

  static notFound(what: string, id: string): ProblemException {
    return new ProblemException('not_found', `${what} ${id} does not exist`);
  }
}
