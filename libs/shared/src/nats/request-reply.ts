import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import type { z } from 'zod';
import type { FieldError } from '../errors/validation';
import type { Logger } from '../logging/logger';
import { decodeJson, parseMessage } from './messages';
import { readReply, respondWithError, ServiceError } from './service-errors';

/** What {@link serveRequests} needs to answer one subject. */
export interface ServeRequestsOptions<S extends z.ZodType> {
  subject: string;
  /** Queue group: replicas in the same group share the requests (one answers each). */
  queue?: string;
  /** Validates the decoded JSON body; a failure is answered `invalid_request` with field errors. */
  schema: S;
  /** What an empty payload stands for (e.g. `{}`); without it an empty payload is invalid JSON. */
  emptyBody?: unknown;
  /** Answers a valid request; its result is sent as JSON. Throw a {@link ServiceError} to answer with its code. */
  handle: (request: z.infer<S>) => unknown;
  /** Unknown errors are logged here (once each, with the subject); their messages never reach the requester. */
  logger: Logger;
}

/** A running {@link serveRequests} subscription. */
export interface RequestServer {
  /** Stops taking requests, then waits for the ones being answered (call before closing the connection). */
  stop(): Promise<void>;
}

/**
 * Serves NATS request/reply on one subject: decode JSON → validate with the schema → `handle` → reply.
 * Malformed JSON or a schema error is answered `invalid_request` naming the fields; a thrown ServiceError
 * travels with its code (`Nats-Service-Error-Code`); anything else is logged and answered `internal`.
 * No payload and no failure to reply ever throws out of the subscription.
 */
export function serveRequests<S extends z.ZodType>(nc: NatsConnection, options: ServeRequestsOptions<S>): RequestServer {
  const inFlight = new Set<Promise<void>>();
  const subscription: Subscription = nc.subscribe(options.subject, {
    queue: options.queue,
    callback: (err, msg) => {
      if (err) return void options.logger.warn({ err: String(err), subject: options.subject }, 'request subscription error');
      const task = answer(msg, options).finally(() => inFlight.delete(task));
      inFlight.add(task);
    },
  });
  return {
    stop: async () => {
      await subscription.drain().catch(() => undefined);
      await Promise.allSettled([...inFlight]);
    },
  };
}

async function answer<S extends z.ZodType>(msg: Msg, options: ServeRequestsOptions<S>): Promise<void> {
  let reply: string | ServiceError;
  try {
    const decoded = msg.data.length === 0 && options.emptyBody !== undefined ? { ok: true as const, value: options.emptyBody } : decodeJson(msg.data);
    const parsed = decoded.ok ? parseMessage(options.schema, decoded.value) : decoded;
    reply = parsed.ok ? JSON.stringify((await options.handle(parsed.value as z.infer<S>)) ?? null) : invalidRequest(parsed.errors);
  } catch (err) {
    reply = toServiceError(err, options);
  }
  try {
    if (reply instanceof ServiceError) respondWithError(msg, reply);
    else msg.respond(reply);
  } catch (err) {
    // the requester went away, or the connection is closing: nothing to answer to
    options.logger.warn({ err: String(err), subject: options.subject }, 'reply could not be sent');
  }
}

function invalidRequest(errors: FieldError[]): ServiceError {
  return new ServiceError('invalid_request', errors.map((e) => `${e.path}: ${e.message}`).join('; '), errors);
}

function toServiceError(err: unknown, options: ServeRequestsOptions<z.ZodType>): ServiceError {
  if (err instanceof ServiceError) return err;
  options.logger.error({ err, subject: options.subject }, 'request failed');
  return new ServiceError('internal', 'the service could not answer this request');
}

/** Default `unavailable` message of {@link requestJson}. */
export const UNAVAILABLE_MESSAGE = 'the service is not available right now; try again shortly';

/**
 * Sends `body` as JSON on `subject` and returns the JSON reply. An error reply is thrown as its
 * {@link ServiceError} (see {@link readReply}); no responder, no answer within `timeoutMs` or a closed
 * connection is `ServiceError('unavailable', unavailableMessage)` with the NATS error as `cause`.
 */
export async function requestJson<T>(nc: NatsConnection, subject: string, body: unknown, timeoutMs: number, unavailableMessage = UNAVAILABLE_MESSAGE): Promise<T> {
  let reply: Msg;
  try {
    reply = await nc.request(subject, JSON.stringify(body), { timeout: timeoutMs });
  } catch (err) {
    throw new ServiceError('unavailable', unavailableMessage, [], { cause: err });
  }
  return readReply<T>(reply);
}
