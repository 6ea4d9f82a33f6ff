import { headers, type Msg, type MsgHdrs } from '@nats-io/transport-node';
import type { FieldError } from '../errors/validation';

/** Error codes that travel over NATS request/reply, in the `Nats-Service-Error-Code` header. */
export const SERVICE_ERROR_CODES = ['invalid_request', 'not_found', 'unavailable', 'internal'] as const;
export type ServiceErrorCode = (typeof SERVICE_ERROR_CODES)[number];

export const SERVICE_ERROR_HEADER = 'Nats-Service-Error';
export const SERVICE_ERROR_CODE_HEADER = 'Nats-Service-Error-Code';

/** A request/reply call answered with an error (or not answered at all: `unavailable`). */
export class ServiceError extends Error {
  constructor(
    readonly code: ServiceErrorCode,
    message: string,
    readonly errors: FieldError[] = [],
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'ServiceError';
  }
}

/** Answers a request with an error: code in the header, `{ message, errors }` as the body. */
export function respondWithError(msg: Msg, error: ServiceError): void {
  const h: MsgHdrs = headers();
  h.set(SERVICE_ERROR_CODE_HEADER, error.code);
  h.set(SERVICE_ERROR_HEADER, error.message.slice(0, 500));
  msg.respond(JSON.stringify({ message: error.message, errors: error.errors }), { headers: h });
}


/** Reads a reply: the decoded JSON body, or a {@link ServiceError} thrown from its error headers. */
export function readReply<T>(reply: Msg): T {
  const code = reply.headers?.get(SERVICE_ERROR_CODE_HEADER);
  if (code) {
    let body: { message?: string; errors?: FieldError[] } = {};
    try {
      body = reply.json();
    } catch {
      // the header alone is enough
    }
    const known = (SERVICE_ERROR_CODES as readonly string[]).includes(code) ? (code as ServiceErrorCode) : 'internal';
    throw new ServiceError(known, body.message ?? reply.headers?.get(SERVICE_ERROR_HEADER) ?? 'request failed', body.errors ?? []);
  }
  return reply.json<T>();
}
