import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { MetricOutcomes } from '../read-model/metric-outcomes.service';
import type { MetricOutcome } from '../read-model/read-model.types';

interface SharedWait {
  promise: Promise<MetricOutcome | null>;
  resolve: (outcome: MetricOutcome | null) => void;
  refs: number;
}

export interface Waiting {
  /** The next finished run of the metric, or null when the wait timed out (or was cancelled). */
  outcome: Promise<MetricOutcome | null>;
  cancel(): void;
}

/**
 * Blocked readers of one metric share one wait for its next finished run (fed by the one events
 * subscription through MetricOutcomes). Register the wait before publishing the run request.
 */
@Injectable()
export class CompletionWaiter implements OnModuleInit, OnApplicationShutdown {
  private readonly waits = new Map<string, SharedWait>();
  private unsubscribe?: () => void;

  constructor(private readonly outcomes: MetricOutcomes) {}

  onModuleInit(): void {
    this.unsubscribe = this.outcomes.subscribe((outcome) => {
      const shared = this.waits.get(outcome.metricId);
      if (!shared) return;
      this.waits.delete(outcome.metricId);
      shared.resolve(outcome);
    });
  }

  onApplicationShutdown(): void {
    this.unsubscribe?.();
    for (const shared of this.waits.values()) shared.resolve(null);
    this.waits.clear();
  }

  /** How many metrics have blocked readers now (for tests and diagnostics). */
  get pending(): number {
    return this.waits.size;
  }

  wait(metricId: string, timeoutMs: number): Waiting {
    const shared = this.sharedWait(metricId);
    shared.refs++;
    let settle!: (outcome: MetricOutcome | null) => void;
    const outcome = new Promise<MetricOutcome | null>((resolve) => (settle = resolve));
    let done = false;
    const finish = (value: MetricOutcome | null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (value === null) this.release(metricId, shared);
      settle(value);
    };
    const timer = setTimeout(() => finish(null), timeoutMs);
    void shared.promise.then(finish);
    return { outcome, cancel: () => finish(null) };
  }

  private sharedWait(metricId: string): SharedWait {
    let shared = this.waits.get(metricId);
    if (!shared) {
      let resolve!: (outcome: MetricOutcome | null) => void;
      const promise = new Promise<MetricOutcome | null>((r) => (resolve = r));
      shared = { promise, resolve, refs: 0 };
      this.waits.set(metricId, shared);
    }
    return shared;
  }

  private release(metricId: string, shared: SharedWait): void {
    shared.refs--;
    if (shared.refs <= 0 && this.waits.get(metricId) === shared) this.waits.delete(metricId);
  }
}
