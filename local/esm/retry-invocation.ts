import pRetry from 'p-retry';

/**
 * p-retry gives up at once on a `TypeError` (a bug, to it); an event source mapping retries
 * whatever failed. This carries one through p-retry, and {@link unwrapRetriable} gives it back.
 */
class RetriableTypeError extends Error {
  readonly original: TypeError;
  constructor(original: TypeError) {
    super(original.message, { cause: original });
    this.name = 'RetriableTypeError';
    this.original = original;
  }
}

/** `error`, made one p-retry retries. */
function retriable(error: unknown): unknown {
  return error instanceof TypeError ? new RetriableTypeError(error) : error;
}

function unwrapRetriable(error: unknown): unknown {
  return error instanceof RetriableTypeError ? error.original : error;
}

interface InvocationRetryOptions {
  /** The emulator's stop: no retry starts after it, and a waiting one is cancelled. */
  readonly signal: AbortSignal;
  /** The wait after the first failure; each later one doubles, up to `capMs`. */
  readonly baseMs: number;
  readonly capMs: number;
  /** Retries after the first attempt; `Infinity`: until it succeeds or `signal` aborts. */
  readonly retries: number;
}

type InvocationResult =
  | { readonly outcome: 'succeeded' }
  /** The emulator stopped while the batch was still failing: leave it uncommitted. */
  | { readonly outcome: 'stopped' }
  /** Every attempt failed; `error` is the last one's. */
  | { readonly outcome: 'failed'; readonly error: unknown };

/**
 * Invokes until it succeeds, the retries run out, or the emulator stops, waiting `baseMs`, then
 * twice, four times… as long, at most `capMs`, between attempts, as Lambda's Kafka event source
 * retries a failed batch.
 *
 * An invocation already running when `signal` aborts is let finish: if it succeeds, so does
 * this (its batch is committed); if it fails, this stops. That is why p-retry gets a signal of
 * its own, aborted only between attempts: with `signal` itself, p-retry would report an
 * invocation that succeeded during the stop as cancelled.
 *
 * @param invoke - one invocation of the function with the batch; throws when the function failed
 * @example
 * ```ts
 * const result = await retryInvocation(() => invokeLocally(handler, event), { signal, baseMs: 1_000, capMs: 30_000, retries: Infinity });
 * ```
 */
async function retryInvocation(
  invoke: (attempt: number) => Promise<void>,
  options: InvocationRetryOptions,
): Promise<InvocationResult> {
  const { signal } = options;
  const betweenAttempts = new AbortController();
  let invoking = false;
  const onStop = () => {
    if (!invoking) betweenAttempts.abort(signal.reason);
  };
  signal.addEventListener('abort', onStop, { once: true });
  try {
    await pRetry(
      async (attempt) => {
        invoking = true;
        try {
          await invoke(attempt);
        } catch (error) {
          if (signal.aborted) betweenAttempts.abort(signal.reason);
          throw retriable(error);
        } finally {
          invoking = false;
        }
      },
      {
        retries: options.retries,
        factor: 2,
        minTimeout: options.baseMs,
        maxTimeout: options.capMs,
        signal: betweenAttempts.signal,
      },
    );
    return { outcome: 'succeeded' };
  } catch (error) {
    return betweenAttempts.signal.aborted
      ? { outcome: 'stopped' }
      : { outcome: 'failed', error: unwrapRetriable(error) };
  } finally {
    signal.removeEventListener('abort', onStop);
  }
}

export type { InvocationResult };
export { retriable, retryInvocation };
