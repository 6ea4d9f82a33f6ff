import { z } from 'zod';

/** What a lease says about its holder (JSON value of a `metric_leases` key). */
export interface LeaseValue {
  workerId: string;
  /** Set once the holder has decided to run: the execution that will answer requests waiting on it. */
  executionId?: string;
  acquiredAt: string;
  /** Stream sequence of the request the holder is handling: its redelivery must not coalesce onto itself. */
  streamSeq?: number;
}

const leaseValueSchema = z.object({
  workerId: z.string(),
  executionId: z.string().optional(),
  acquiredAt: z.string(),
  streamSeq: z.number().optional(),
});

export function encodeLease(value: LeaseValue): string {
  return JSON.stringify(value);
}

/** A lease written by anything else (an operator, an older version) decodes to null: treated as opaque. */
export function decodeLease(raw: Uint8Array): LeaseValue | null {
  try {
    const parsed = leaseValueSchema.safeParse(JSON.parse(Buffer.from(raw).toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export type HeldLeaseAction = { action: 'coalesce' } | { action: 'retry'; delayMs: number };

/**
 * What to do with a request that finds its metric's lease held.
 *
 * Coalesce (ack) only when the holder has named the execution it runs: that execution started before
 * now ≥ requestedAt and will finish after it, so it answers the request; if it instead ends without a
 * verdict (lease lost, shutdown, crash), the holder's own request is redelivered and runs again, later
 * still. Acking keeps the queue small: 500 requests for one running metric cost 500 acks, not 500 × k
 * redeliveries. A holder still deciding (no execution named) may skip its run as already answered or
 * fresh, which would not answer this request: retry after a short delay. So does the redelivery of the
 * holder's own request (same stream sequence): it must wait for the lease to free, never answer itself.
 */
export function onLeaseHeld(holder: LeaseValue | null, request: { streamSeq: number; deliveryCount: number }, leaseTtlMs: number): HeldLeaseAction {
  if (holder?.executionId && holder.streamSeq !== request.streamSeq) return { action: 'coalesce' };
  return { action: 'retry', delayMs: retryDelayMs(request.deliveryCount, leaseTtlMs) };
}

/** Backoff for a request waiting on a lease: 1/10 of the TTL doubling per delivery, at most the TTL. */
export function retryDelayMs(deliveryCount: number, leaseTtlMs: number): number {
  const base = Math.max(50, Math.floor(leaseTtlMs / 10));
  const delay = Math.min(leaseTtlMs, base * 2 ** Math.min(10, Math.max(0, deliveryCount - 1)));
  // jitter spreads the retries of many waiting requests
  return Math.round(delay * (0.8 + Math.random() * 0.4));
}
