interface Waiting<I, O> {
  item: I;
  resolve(value: O): void;
  reject(err: unknown): void;
}

export interface BatcherOptions {
  /** Batches in flight at once (each holds one database connection). */
  maxConcurrent: number;
  maxBatch: number;
}

/**
 * Group commit for a hot statement: items submitted while `maxConcurrent` batches are in flight wait and
 * go together in the next one. Idle, an item goes at once (alone, or with whatever was submitted in the
 * same tick), so batching costs no latency; under load it turns N round trips and commits into one.
 * `run` answers per item, in order: a value, or an Error for that item alone.
 */
export class Batcher<I, O> {
  private readonly queue: Waiting<I, O>[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly run: (items: I[]) => Promise<(O | Error)[]>,
    private readonly options: BatcherOptions,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      queueMicrotask(() => {
        this.scheduled = false;
        this.pump();
      });
    });
  }

  private pump(): void {
    while (this.inFlight < this.options.maxConcurrent && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.options.maxBatch);
      this.inFlight += 1;
      this.run(batch.map((w) => w.item))
        .then(
          (results) => batch.forEach((w, i) => (results[i] instanceof Error ? w.reject(results[i]) : w.resolve(results[i] as O))),
          (err: unknown) => batch.forEach((w) => w.reject(err)),
        )
        .finally(() => {
          this.inFlight -= 1;
          this.pump();
        });
    }
  }
}

/** Batches of one hot statement: a third of the pool each (load, start, complete), up to 256 items. */
export function batchOptions(config: { DATABASE_POOL_SIZE: number }): BatcherOptions {
  return { maxConcurrent: Math.max(1, Math.floor(config.DATABASE_POOL_SIZE / 3)), maxBatch: 256 };
}
