import { decodeLease, encodeLease, onLeaseHeld, retryDelayMs } from './lease.util';

describe('lease rules', () => {
  const running = { workerId: 'h:1:a', executionId: '8d6a4f1e-0000-4000-8000-000000000001', acquiredAt: '2026-01-01T00:00:00Z', streamSeq: 7 };

  it('coalesces onto a holder that names its execution', () => {
    expect(onLeaseHeld(running, { streamSeq: 9, deliveryCount: 1 }, 30_000)).toEqual({ action: 'coalesce' });
  });

  it('retries while the holder is still deciding or the lease is unreadable', () => {
    const { executionId: _ignored, ...deciding } = running;
    expect(onLeaseHeld(deciding, { streamSeq: 9, deliveryCount: 1 }, 30_000).action).toBe('retry');
    expect(onLeaseHeld(null, { streamSeq: 9, deliveryCount: 1 }, 30_000).action).toBe('retry');
  });

  it("never lets the holder's own redelivered request answer itself", () => {
    expect(onLeaseHeld(running, { streamSeq: 7, deliveryCount: 2 }, 30_000).action).toBe('retry');
  });

  it('backs off from a tenth of the TTL up to the TTL', () => {
    for (let i = 0; i < 20; i++) {
      const first = retryDelayMs(1, 10_000);
      expect(first).toBeGreaterThanOrEqual(800);
      expect(first).toBeLessThanOrEqual(1200);
      expect(retryDelayMs(30, 10_000)).toBeLessThanOrEqual(12_000);
      expect(retryDelayMs(30, 10_000)).toBeGreaterThanOrEqual(8_000);
    }
  });

  it('round-trips lease values and rejects foreign ones', () => {
    expect(decodeLease(Buffer.from(encodeLease(running)))).toEqual(running);
    expect(decodeLease(Buffer.from('not json'))).toBeNull();
    expect(decodeLease(Buffer.from('{"holder":1}'))).toBeNull();
  });
});
