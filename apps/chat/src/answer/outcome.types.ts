/** A completed execution whose value a reply cites. */
export interface ServedValue {
  executionId: string;
  value: unknown;
  computedAt: Date;
}

export interface RunFailure {
  executionId: string;
  message: string;
  at: Date;
}

export interface MetricRef {
  id: string;
  name: string;
}

/**
 * What answering one metric came to, under the freshness rules:
 * cached (fresh) · refreshing (stale, background run requested) · live (ran now) ·
 * failed (the run it needed failed) · loading (a run is on its way but not done).
 */
export type MetricOutcome =
  | { kind: 'cached'; metric: MetricRef; served: ServedValue; lastError: RunFailure | null }
  | { kind: 'refreshing'; metric: MetricRef; served: ServedValue; refreshRequested: boolean; lastError: RunFailure | null }
  | { kind: 'live'; metric: MetricRef; served: ServedValue }
  | { kind: 'failed'; metric: MetricRef; failure: RunFailure; lastGood: ServedValue | null }
  | { kind: 'loading'; metric: MetricRef; lastGood: ServedValue | null; runRequested: boolean; waitedMs: number | null };

export type OutcomeKind = MetricOutcome['kind'];
