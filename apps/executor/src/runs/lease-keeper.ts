import type { JsMsg } from '@nats-io/jetstream';
import type { Logger } from '@assemblr/shared';
import type { Lease } from '../leases/lease.service';
import { RunAbort } from './run-abort';

/**
 * Keeps a lease and its request alive while it is worked on: renews every TTL/3 and tells JetStream the
 * message is still in progress. A failed renewal means someone else may hold the metric now: the run is
 * aborted with `lease_lost` and must not write its result.
 */
export class LeaseKeeper {
  readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private lastRenewAt = Date.now();
  private renewing: Promise<void> | null = null;

  constructor(
    readonly lease: Lease,
    private readonly msg: JsMsg,
    private readonly ttlMs: number,
    private readonly logger: Logger,
  ) {
    this.timer = setInterval(() => void this.renew(), Math.max(50, Math.floor(ttlMs / 3)));
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get lost(): boolean {
    return this.signal.aborted && this.signal.reason instanceof RunAbort && this.signal.reason.kind === 'lease_lost';
  }

  /** Before a final write: renews now unless the last renewal is recent enough to outlive the write. */
  async confirm(): Promise<boolean> {
    if (Date.now() - this.lastRenewAt > this.ttlMs / 2) await this.renew();
    return !this.lost;
  }

  renew(): Promise<void> {
    if (this.signal.aborted) return Promise.resolve();
    this.renewing ??= this.lease
      .renew()
      .then(() => {
        this.lastRenewAt = Date.now();
        this.msg.working();
      })
      .catch((err: unknown) => {
        this.logger.warn({ metricId: this.lease.metricId, err: (err as Error).message }, 'lease renewal failed; aborting the run');
        this.controller.abort(new RunAbort('lease_lost', `lease lost: ${(err as Error).message}`));
      })
      .finally(() => {
        this.renewing = null;
      });
    return this.renewing;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
