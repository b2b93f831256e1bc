import type { ValidEvent } from '../events/envelope.ts';
import { DeadlineExceededError } from './errors.ts';
import type { ProcessContext, Processor } from './types.ts';

/**
 * The invocation's deadline for processors, made once per batch: an `AbortSignal` that fires at
 * `deadlineMs` (epoch ms) and a promise that rejects then with a transient
 * {@link DeadlineExceededError}. One timer per batch instead of an AbortController, a timer and
 * a promise per record, which cost time and garbage on every record of a batch where nothing hangs.
 */
interface Deadline {
  readonly signal: AbortSignal;
  /** Rejects at the deadline; never resolves. */
  readonly expired: Promise<never>;
  /** Stops the timer: call it when the batch is done. */
  clear(): void;
}

/**
 * Starts a {@link Deadline} at `deadlineMs`.
 *
 * @example
 * ```ts
 * const deadline = startDeadline(Date.now() + 5_000);
 * try { for (const event of events) await runWithDeadline(processor, event, context, deadline); } finally { deadline.clear(); }
 * ```
 */
function startDeadline(deadlineMs: number, now: () => number = Date.now): Deadline {
  const budgetMs = Math.max(0, deadlineMs - now());
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new DeadlineExceededError(
        `processor did not finish within ${budgetMs} ms (invocation deadline)`,
      );
      controller.abort(error);
      reject(error);
    }, budgetMs);
  });
  // Nobody may be waiting when it fires (between records): that is not an unhandled rejection.
  expired.catch(() => undefined);
  return { signal: controller.signal, expired, clear: () => clearTimeout(timer) };
}

/**
 * Runs a processor against a {@link Deadline}: the processor gets its `AbortSignal` (the caller puts
 * `deadline.signal` in the context), and if it ignores the signal the race still ends at the
 * deadline, so one hung downstream cannot eat the invocation's remaining time.
 *
 * @example
 * ```ts
 * await runWithDeadline(processor, event, { idempotencyKey: event.id, attempt: 1, source, signal: deadline.signal }, deadline);
 * ```
 */
function runWithDeadline(
  processor: Processor,
  event: ValidEvent,
  context: ProcessContext,
  deadline: Deadline,
): Promise<void> {
  // Not async: the race is the promise, without another one wrapped around it per record. A
  // processor that throws instead of rejecting still becomes a rejection.
  try {
    return Promise.race([processor(event, context), deadline.expired]);
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * Runs one processor with its own deadline at `deadlineMs` (epoch ms); see {@link runWithDeadline}.
 *
 * @example
 * ```ts
 * await runProcessor(processor, event, { idempotencyKey: event.id, attempt: 1, source }, Date.now() + 5_000);
 * ```
 */
async function runProcessor(
  processor: Processor,
  event: ValidEvent,
  context: Omit<ProcessContext, 'signal'>,
  deadlineMs: number,
  now: () => number = Date.now,
): Promise<void> {
  const deadline = startDeadline(deadlineMs, now);
  try {
    await runWithDeadline(processor, event, { ...context, signal: deadline.signal }, deadline);
  } finally {
    deadline.clear();
  }
}

export type { Deadline };
export { runProcessor, runWithDeadline, startDeadline };
