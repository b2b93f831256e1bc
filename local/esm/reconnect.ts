import { setTimeout as sleep } from 'node:timers/promises';
import pRetry from 'p-retry';
import { retriable } from './retry-invocation.ts';

interface ReconnectOptions {
  /** Aborted by the emulator's `stop()`: the only thing that ends the loop without a connection. */
  readonly signal: AbortSignal;
  /** The first wait; each later one doubles, up to `capMs`. */
  readonly baseMs: number;
  readonly capMs: number;
  readonly onAttemptFailed?: (attempt: number, error: Error) => void;
  readonly onConnected?: (attempts: number) => void;
}

/**
 * Calls `connect` until it succeeds or `signal` aborts, waiting `baseMs`, then twice, four
 * times… as long, at most `capMs` apart, as Lambda's pollers keep polling a broker that went away.
 * The first attempt waits too: the broker was just lost. Resolves whether it reconnected.
 *
 * @param connect - builds a new consumer and stream; throws while the broker does not answer
 * @example
 * ```ts
 * await reconnectUntilStopped(() => this.#connect(), { signal, baseMs: 1_000, capMs: 5_000 });
 * ```
 */
async function reconnectUntilStopped(
  connect: () => Promise<void>,
  options: ReconnectOptions,
): Promise<boolean> {
  const { signal } = options;
  await sleep(options.baseMs, undefined, { signal }).catch(() => undefined);
  if (signal.aborted) return false;
  return pRetry(
    async (attempt) => {
      try {
        await connect();
      } catch (error) {
        throw retriable(error); // a poller keeps polling whatever failed
      }
      options.onConnected?.(attempt);
      return true;
    },
    {
      retries: Number.POSITIVE_INFINITY,
      factor: 2,
      // p-retry waits after a failure; the first interval was the wait above.
      minTimeout: 2 * options.baseMs,
      maxTimeout: options.capMs,
      signal,
      onFailedAttempt: ({ error, attemptNumber }) => options.onAttemptFailed?.(attemptNumber, error),
    },
  ).catch(() => false);
}

export { reconnectUntilStopped };
