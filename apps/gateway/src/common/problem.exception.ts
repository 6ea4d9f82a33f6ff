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
    /** Extension members of the problem document (RFC 9457 §3.2), e.g. `dependents` on a 409. */
    readonly extensions?: Record<string, unknown>,
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

  /** A path parameter that is not a UUID: 400 naming the parameter. */
  static malformedId(param: string): ProblemException {
    return new ProblemException('malformed_id', `${param} must be a UUID`, [{ path: param, message: 'must be a UUID' }]);
  }

  /** Something still depends on what is being deleted: 409 listing the dependents. */
  static dependents(what: string, dependents: Dependent[]): ProblemException {
    const listed = dependents.map((d) => `${d.kind} "${d.name}" (${d.id})`).join(', ');
    return new ProblemException('conflict', `${what} is still used by ${listed}`, undefined, { dependents });
  }
}

/** One thing that blocks a delete (named in a 409). */
export interface Dependent {
  kind: 'metric' | 'dashboard';
  id: string;
  name: string;
}
