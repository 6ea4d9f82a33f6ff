import { Injectable } from '@nestjs/common';
import type { MetricOutcome } from './read-model.types';

/**
 * In-process fan-out of finished runs, emitted after the read model holds the new state: blocked
 * readers and SSE streams listen here.
 */
@Injectable()
export class MetricOutcomes {
  private readonly listeners = new Set<(outcome: MetricOutcome) => void>();

  subscribe(listener: (outcome: MetricOutcome) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Listeners now registered (SSE streams, the waiter): for tests and diagnostics. */
  get listenerCount(): number {
    return this.listeners.size;
  }

  emit(outcome: MetricOutcome): void {
    for (const listener of this.listeners) listener(outcome);
  }
}
