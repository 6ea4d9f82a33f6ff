import type { ProblemCode } from './problem.exception';

function assertUnreachable(value: never): never {
  throw new Error(`unhandled problem code ${String(value)}`);
}

/** The one mapping from problem codes to HTTP: fails to compile when a code is added and not mapped. */
export function problemStatus(code: ProblemCode): { status: number; title: string } {
  switch (code) {
    case 'validation_failed':
      return { status: 400, title: 'Invalid request' };
    case 'malformed_id':
      return { status: 400, title: 'Malformed id' };
    case 'unauthorized':
      return { status: 401, title: 'Unauthorized' };
    case 'not_found':
      return { status: 404, title: 'Not found' };
    case 'conflict':
      return { status: 409, title: 'Conflict' };
    case 'payload_too_large':
      return { status: 413, title: 'Payload too large' };
    case 'unsupported_media_type':
      return { status: 415, title: 'Unsupported media type' };
    case 'unavailable':
      return { status: 503, title: 'Service unavailable' };
    case 'internal':
      return { status: 500, title: 'Internal error' };
    default:
      return assertUnreachable(code);
  }
}
