import { PermanentError, PipelineError, TransientError } from '../pipeline/errors.ts';
import type { Processor } from '../pipeline/ports.ts';

interface HttpProcessorOptions {
  /** Per-request timeout; the invocation deadline (the context's signal) may cut it shorter. */
  readonly timeoutMs: number;
  /** Injectable for tests of the wiring only; the default is the global `fetch`. */
  readonly fetch?: typeof fetch;
}

/** Bounded: a downstream's error page must not fill a dead letter. */
const MAX_ERROR_BODY_CHARS = 200;

/**
 * A processor that POSTs the event (CloudEvents structured JSON) to a webhook and classifies the
 * answer: 2xx done; 408, 429, 5xx and network errors transient (a `Retry-After` becomes the least
 * next delay); any other status permanent. The event id travels as `Idempotency-Key`, so a
 * redelivered event can be recognised downstream.
 *
 * @example
 * ```ts
 * const processOrders = httpProcessor('https://orders.example.com/events', { timeoutMs: 5_000 });
 * ```
 */
function httpProcessor(url: string, options: HttpProcessorOptions): Processor {
  const target = new URL(url);
  // Never put a query string or credentials in errors (they end up in logs and dead letters).
  const where = `${target.origin}${target.pathname}`;
  const doFetch = options.fetch ?? fetch;
  return async (event, context) => {
    const signal = AbortSignal.any([context.signal, AbortSignal.timeout(options.timeoutMs)]);
    let response: Response;
    try {
      response = await doFetch(target, {
        method: 'POST',
        headers: {
          'content-type': 'application/cloudevents+json; charset=utf-8',
          'idempotency-key': context.idempotencyKey,
          'ce-id': event.id,
          'ce-type': event.type,
        },
        body: JSON.stringify(event),
        signal,
      });
    } catch (error) {
      throw requestFailure(error, context.signal, where, options.timeoutMs);
    }
    if (response.ok) {
      await response.body?.cancel();
      return;
    }
    // The body may echo the event (e.g. "invalid card 4111…"): the dead letter keeps it, the
    // message (which is logged) does not.
    const responseBody = (await response.text().catch(() => '')).slice(0, MAX_ERROR_BODY_CHARS);
    const message = `HTTP ${response.status} from ${where}`;
    const details = responseBody ? { responseBody } : undefined;
    if (isTransientStatus(response.status)) {
      throw new TransientError(message, {
        retryAfterSeconds: parseRetryAfter(response.headers.get('retry-after')),
        details,
      });
    }
    throw new PermanentError(message, { details });
  };
}

function isTransientStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

function requestFailure(error: unknown, deadline: AbortSignal, where: string, timeoutMs: number): Error {
  if (deadline.aborted && deadline.reason instanceof PipelineError) return deadline.reason;
  const name = (error as Error).name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new TransientError(`no response from ${where} within ${timeoutMs} ms`, { cause: error });
  }
  const code = ((error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message).slice(
    0,
    100,
  );
  return new TransientError(`request to ${where} failed: ${code}`, { cause: error });
}

/**
 * `Retry-After` as seconds from now: either delta-seconds or an HTTP date (RFC 9110 §10.2.3).
 * Undefined when absent or unreadable.
 */
function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

export type { HttpProcessorOptions };
export { httpProcessor, parseRetryAfter };
