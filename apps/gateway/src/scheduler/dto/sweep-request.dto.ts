import { type FieldError, parseMessage, type SweepRequest, sweepRequestSchema, type Validated } from '@assemblr/shared';

/**
 * The cron endpoint's optional `limit`, from the JSON body (POST) or the query string (GET or POST;
 * the body wins). Other query parameters are ignored: cron services add their own.
 */
export function parseSweepInput(body: unknown, query: Record<string, unknown> | undefined): Validated<SweepRequest> {
  if (body !== undefined && body !== null) {
    if (typeof body !== 'object' || Array.isArray(body)) return { ok: false, errors: [{ path: '(body)', message: 'must be a JSON object' }] };
    if (Object.keys(body).length > 0) return parseMessage(sweepRequestSchema, body);
  }
  const limit = query?.limit;
  if (limit === undefined) return { ok: true, value: {} };
  const error: FieldError = { path: 'limit', message: 'must be a whole number between 1 and 1000000' };
  if (typeof limit !== 'string' || !/^\d{1,7}$/.test(limit)) return { ok: false, errors: [error] };
  return parseMessage(sweepRequestSchema, { limit: Number(limit) });
}
