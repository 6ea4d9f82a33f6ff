import { z } from 'zod';

/** What a lease says about its holder (JSON value of a `metric_leases` key). */
export interface LeaseValue {
  workerId: string;
  /**
   * The execution the holder will run if it decides to (chosen at acquisition, so naming it costs no
   * extra write): requests that find the lease held look this row up to coalesce onto it.
   */
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

export type HeldLeaseAction = { action: 'inspect'; executionId: string } | { action: 'retry' };

/**
 * What to do with a request that finds its metric's lease held: look at the execution the holder named
 * (see `joinHolder`), unless the lease is unreadable or is held for this very request (its redelivery
 * after the holder stalled or died): that one must wait for the lease to free, never answer itself.
 */
export function onLeaseHeld(holder: LeaseValue | null, streamSeq: number): HeldLeaseAction {
  if (holder?.executionId && holder.streamSeq !== streamSeq) return { action: 'inspect', executionId: holder.executionId };
  return { action: 'retry' };
}

/** Backoff for a request waiting on a lease: 1/10 of the TTL doubling per delivery, at most the TTL. */
export function retryDelayMs(deliveryCount: number, leaseTtlMs: number): number {
  const base = Math.max(50, Math.floor(leaseTtlMs / 10));
  const delay = Math.min(leaseTtlMs, base * 2 ** Math.min(10, Math.max(0, deliveryCount - 1)));
  // jitter spreads the retries of many waiting requests
  return Math.round(delay * (0.8 + Math.random() * 0.4));
}
