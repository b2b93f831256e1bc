/**
 * API Gateway's throttle for a stage or route: a bucket of `burst` tokens, full at the start,
 * refilled at `ratePerSecond`; each request takes one, and a request that finds it empty is
 * refused (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-throttling.html).
 * The clock is a parameter so tests can step it.
 *
 * @example
 * ```ts
 * const bucket = new TokenBucket({ ratePerSecond: 100, burst: 50 });
 * if (!bucket.tryTake()) answer429();
 * ```
 */
class TokenBucket {
  readonly #ratePerMs: number;
  readonly #burst: number;
  readonly #now: () => number;
  #tokens: number;
  #refilledAt: number;

  constructor(options: { ratePerSecond: number; burst: number; now?: () => number }) {
    if (!(options.ratePerSecond >= 0) || !(options.burst >= 0)) {
      throw new RangeError('a token bucket needs a rate and a burst of 0 or more');
    }
    this.#ratePerMs = options.ratePerSecond / 1_000;
    this.#burst = options.burst;
    this.#now = options.now ?? (() => performance.now());
    this.#tokens = options.burst;
    this.#refilledAt = this.#now();
  }

  /** Takes a token if there is one. */
  tryTake(): boolean {
    const now = this.#now();
    this.#tokens = Math.min(this.#burst, this.#tokens + (now - this.#refilledAt) * this.#ratePerMs);
    this.#refilledAt = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}

export { TokenBucket };
