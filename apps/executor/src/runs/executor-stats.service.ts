import { Injectable } from '@nestjs/common';

/** Final dispositions of run requests: each delivered request ends in exactly one of these. */
export const DISPOSITIONS = ['ran', 'failed', 'coalesced', 'skippedAnswered', 'skippedFresh', 'terminated'] as const;
export type Disposition = (typeof DISPOSITIONS)[number];

export type ExecutorCounters = Record<Disposition, number> & {
  /** Deliveries handed back with a nak (lease held by a deciding holder, source busy, lease lost, shutdown). */
  requeued: number;
};

/** Counters of this replica, so that tests (and operators) can account for every request. */
@Injectable()
export class ExecutorStats {
  private readonly counters: ExecutorCounters = { ran: 0, failed: 0, coalesced: 0, skippedAnswered: 0, skippedFresh: 0, terminated: 0, requeued: 0 };

  count(what: keyof ExecutorCounters): void {
    this.counters[what] += 1;
  }

  snapshot(): Readonly<ExecutorCounters> {
    return { ...this.counters };
  }

  /** Sum of the final dispositions (requeues are not final). */
  settled(): number {
    return DISPOSITIONS.reduce((sum, d) => sum + this.counters[d], 0);
  }
}
