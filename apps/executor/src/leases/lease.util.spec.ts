import { decodeLease, encodeLease, onLeaseHeld, retryDelayMs } from './lease.util';

describe('lease rules', () => {
  const held = { workerId: 'h:1:a', executionId: '8d6a4f1e-0000-4000-8000-000000000001', acquiredAt: '2026-01-01T00:00:00Z', streamSeq: 7 };

  it('inspects the execution a holder names', () => {
    expect(onLeaseHeld(held, 9)).toEqual({ action: 'inspect', executionId: held.executionId });
  });

  it('retries when the lease is unreadable or names no execution', () => {
    const { executionId: _ignored, ...anonymous } = held;
    expect(onLeaseHeld(anonymous, 9)).toEqual({ action: 'retry' });
    expect(onLeaseHeld(null, 9)).toEqual({ action: 'retry' });
  });

  it("never lets the holder's own redelivered request answer itself", () => {
    expect(onLeaseHeld(held, 7)).toEqual({ action: 'retry' });
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
    expect(decodeLease(Buffer.from(encodeLease(held)))).toEqual(held);
    expect(decodeLease(Buffer.from('not json'))).toBeNull();
    expect(decodeLease(Buffer.from('{"holder":1}'))).toBeNull();
  });
});
