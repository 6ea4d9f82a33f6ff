import { SourceLimiter } from './source-limiter';

describe('SourceLimiter', () => {
  it('lets `limit` runs in, queues `limit` more and refuses the rest', async () => {
    const limiter = new SourceLimiter(2);
    const a = await limiter.enter('s');
    const b = await limiter.enter('s');
    const waiting = [limiter.enter('s'), limiter.enter('s')];
    expect(limiter.enter('s')).toBeNull();
    expect(limiter.load('s')).toEqual({ running: 2, waiting: 2 });
    a!();
    const c = await waiting[0];
    expect(limiter.load('s')).toEqual({ running: 2, waiting: 1 });
    b!();
    c!();
    (await waiting[1])!();
    expect(limiter.load('s')).toEqual({ running: 0, waiting: 0 });
  });

  it('keeps sources independent and ignores double releases', async () => {
    const limiter = new SourceLimiter(1);
    const a = await limiter.enter('a');
    expect(limiter.enter('b')).not.toBeNull();
    a!();
    a!();
    expect(limiter.load('a')).toEqual({ running: 0, waiting: 0 });
  });
});
