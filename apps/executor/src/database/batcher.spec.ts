import { Batcher } from './batcher';

describe('Batcher', () => {
  it('sends an idle submission at once and groups what arrives while batches are in flight', async () => {
    const batches: number[][] = [];
    const gates: (() => void)[] = [];
    const batcher = new Batcher<number, number>(
      async (items) => {
        batches.push(items);
        await new Promise<void>((resolve) => gates.push(resolve));
        return items.map((i) => i * 10);
      },
      { maxConcurrent: 1, maxBatch: 3 },
    );
    const first = batcher.submit(1);
    await Promise.resolve();
    const rest = [2, 3, 4, 5].map((i) => batcher.submit(i));
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([[1]]);
    gates.shift()!();
    expect(await first).toBe(10);
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([[1], [2, 3, 4]]);
    gates.shift()!();
    await new Promise((resolve) => setImmediate(resolve));
    gates.shift()!();
    expect(await Promise.all(rest)).toEqual([20, 30, 40, 50]);
    expect(batches).toEqual([[1], [2, 3, 4], [5]]);
  });

  it('rejects only the items the batch answered with an error, and every item when it throws', async () => {
    const perItem = new Batcher<number, number>(async (items) => items.map((i) => (i < 0 ? new Error(`bad ${i}`) : i)), { maxConcurrent: 2, maxBatch: 10 });
    const results = await Promise.allSettled([perItem.submit(1), perItem.submit(-1), perItem.submit(2)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const broken = new Batcher<number, number>(async () => Promise.reject(new Error('db down')), { maxConcurrent: 1, maxBatch: 10 });
    await expect(Promise.all([broken.submit(1), broken.submit(2)])).rejects.toThrow('db down');
  });
});
