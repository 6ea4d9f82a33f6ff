import { isAbandoned } from './reaper.service';

describe('isAbandoned', () => {
  const lease = (executionId?: string) => ({ held: true, value: { workerId: 'w', acquiredAt: '2026-01-01T00:00:00Z', executionId } });

  it('reaps when the lease is gone or names another execution', () => {
    expect(isAbandoned('a', { held: false, value: null })).toBe(true);
    expect(isAbandoned('a', lease('b'))).toBe(true);
  });

  it('leaves executions whose lease names them, or whose holder is still deciding', () => {
    expect(isAbandoned('a', lease('a'))).toBe(false);
    expect(isAbandoned('a', lease())).toBe(false);
    expect(isAbandoned('a', { held: true, value: null })).toBe(false);
  });
});
