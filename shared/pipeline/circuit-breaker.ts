import { PipelineError, TransientError } from './errors.ts';
import type { Processor } from './ports.ts';

const CircuitState = { CLOSED: 'closed', OPEN: 'open', HALF_OPEN: 'half-open' } as const;
type CircuitState = (typeof CircuitState)[keyof typeof CircuitState];

interface CircuitBreakerSettings {
  /** Consecutive transient failures that open the circuit. */
  readonly failureThreshold: number;
  /** How long the circuit stays open before one probe may go through. */
  readonly openSeconds: number;
}

/** The downstream was not called: its circuit is open. Transient; retry after the open period. */
class CircuitOpenError extends TransientError {
  constructor(route: string, retryAfterSeconds: number) {
    super(`circuit open for ${route}: not calling it for another ${retryAfterSeconds} s`, {
      retryAfterSeconds,
      attempted: false,
    });
    this.name = 'CircuitOpenError';
  }
}

/**
 * A circuit breaker for one downstream. Closed: calls go through, and `failureThreshold`
 * consecutive transient failures open it. Open: calls fail at once with {@link CircuitOpenError}
 * (records go to the retry queue instead of hammering a failing downstream). After `openSeconds`,
 * half-open: one probe goes through — success closes the circuit, failure opens it again. A
 * permanent error is an answer from a healthy downstream and counts as success. A call admitted
 * before the circuit last opened reports on a downstream that has failed since: its outcome is
 * ignored, so a slow success cannot close an open circuit.
 *
 * @example
 * ```ts
 * const breaker = new CircuitBreaker('https://orders.example.com', { failureThreshold: 5, openSeconds: 30 });
 * const guarded = breaker.wrap(httpProcessor(url, { timeoutMs: 5_000 }));
 * ```
 */
class CircuitBreaker {
  readonly route: string;
  #state: CircuitState = CircuitState.CLOSED;
  #failures = 0;
  #openedAt = 0;
  #probeInFlight = false;
  /** Counts openings; a call remembers the one it was admitted in. */
  #generation = 0;
  readonly #settings: CircuitBreakerSettings;
  readonly #now: () => number;
  readonly #onChange?: (route: string, from: CircuitState, to: CircuitState) => void;

  constructor(
    route: string,
    settings: CircuitBreakerSettings,
    options: {
      now?: () => number;
      onChange?: (route: string, from: CircuitState, to: CircuitState) => void;
    } = {},
  ) {
    this.route = route;
    this.#settings = settings;
    this.#now = options.now ?? Date.now;
    this.#onChange = options.onChange;
  }

  get state(): CircuitState {
    return this.#state;
  }

  wrap(processor: Processor): Processor {
    return async (event, context) => {
      const isProbe = this.#admit();
      const generation = this.#generation;
      try {
        await processor(event, context);
        if (generation === this.#generation) this.#succeeded();
      } catch (error) {
        if (generation === this.#generation) {
          if (error instanceof PipelineError && error.permanent) this.#succeeded();
          else this.#failed();
        }
        throw error;
      } finally {
        if (isProbe) this.#probeInFlight = false;
      }
    };
  }

  /** Lets a call through (returning whether it is the half-open probe) or throws CircuitOpenError. */
  #admit(): boolean {
    if (this.#state === CircuitState.CLOSED) return false;
    const remainingMs = this.#openedAt + this.#settings.openSeconds * 1_000 - this.#now();
    if (this.#state === CircuitState.OPEN && remainingMs <= 0) this.#transition(CircuitState.HALF_OPEN);
    if (this.#state === CircuitState.HALF_OPEN && !this.#probeInFlight) {
      this.#probeInFlight = true;
      return true;
    }
    throw new CircuitOpenError(this.route, Math.max(1, Math.ceil(remainingMs / 1_000)));
  }

  #succeeded(): void {
    this.#failures = 0;
    if (this.#state !== CircuitState.CLOSED) this.#transition(CircuitState.CLOSED);
  }

  #failed(): void {
    this.#failures++;
    if (
      this.#state === CircuitState.HALF_OPEN ||
      (this.#state === CircuitState.CLOSED && this.#failures >= this.#settings.failureThreshold)
    ) {
      this.#openedAt = this.#now();
      this.#generation++;
      this.#transition(CircuitState.OPEN);
    }
  }

  #transition(to: CircuitState): void {
    const from = this.#state;
    this.#state = to;
    this.#onChange?.(this.route, from, to);
  }
}

export type { CircuitBreakerSettings };
export { CircuitBreaker, CircuitOpenError, CircuitState };
