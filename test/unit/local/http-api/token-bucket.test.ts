import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../../../local/http-api/token-bucket.ts';

// API Gateway's throttle: a bucket of `burst` tokens refilled at `rate` per second, full at the
// start (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-throttling.html).
describe('TokenBucket', () => {
  it('lets a burst through at once, then the steady rate', () => {
    let now = 0;
    const bucket = new TokenBucket({ ratePerSecond: 10, burst: 5, now: () => now });
    const burst = Array.from({ length: 8 }, () => bucket.tryTake());
    expect(burst).toEqual([true, true, true, true, true, false, false, false]);
    now += 100; // one token at 10/s
    expect([bucket.tryTake(), bucket.tryTake()]).toEqual([true, false]);
    now += 10_000; // refills to the burst, not beyond
    expect(Array.from({ length: 6 }, () => bucket.tryTake()).filter(Boolean)).toHaveLength(5);
  });

  it('refuses everything with a burst of 0', () => {
    const bucket = new TokenBucket({ ratePerSecond: 1_000, burst: 0, now: () => 0 });
    expect(bucket.tryTake()).toBe(false);
  });

  it('refuses a negative rate', () => {
    expect(() => new TokenBucket({ ratePerSecond: -1, burst: 1 })).toThrow(RangeError);
  });
});
