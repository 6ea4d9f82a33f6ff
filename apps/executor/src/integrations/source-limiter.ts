type Release = () => void;

interface SourceState {
  running: number;
  waiting: (() => void)[];
}

/**
 * At most `limit` runs per data source at once; up to `limit` more may queue. Beyond that `enter`
 * answers null and the caller hands the request back (nak with a delay) so that one slow source holds
 * at most 2 × limit of a replica's slots and never starves the others.
 */
export class SourceLimiter {
  private readonly sources = new Map<string, SourceState>();

  constructor(private readonly limit: number) {}

  enter(sourceId: string): Promise<Release> | null {
    const state = this.sources.get(sourceId) ?? { running: 0, waiting: [] };
    this.sources.set(sourceId, state);
    if (state.running < this.limit) {
      state.running += 1;
      return Promise.resolve(this.releaser(sourceId, state));
    }
    if (state.waiting.length >= this.limit) return null;
    return new Promise((resolve) => state.waiting.push(() => resolve(this.releaser(sourceId, state))));
  }

  /** Runs and waiters of a source (for tests and metrics). */
  load(sourceId: string): { running: number; waiting: number } {
    const state = this.sources.get(sourceId);
    return { running: state?.running ?? 0, waiting: state?.waiting.length ?? 0 };
  }

  private releaser(sourceId: string, state: SourceState): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = state.waiting.shift();
      if (next) return next(); // the slot passes straight to the next waiter
      state.running -= 1;
      if (state.running === 0) this.sources.delete(sourceId);
    };
  }
}
