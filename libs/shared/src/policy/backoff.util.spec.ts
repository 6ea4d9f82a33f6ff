import { failureBackoffMs } from './backoff.util';

describe('failureBackoffMs', () => {
  const opts = { baseMs: 1000, capMs: 10_000 };
  it('doubles per failure and caps', () => {
    expect([0, 1, 2, 3, 4, 5, 50].map((n) => failureBackoffMs(n, opts))).toEqual([0, 1000, 2000, 4000, 8000, 10_000, 10_000]);
  });
  it('defaults to a one-hour cap', () => {
    expect(failureBackoffMs(1000)).toBe(3_600_000);
  });
});
