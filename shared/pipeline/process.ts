import type { ValidEvent } from '../events/envelope.ts';
import { DeadlineExceededError } from './errors.ts';
import type { ProcessContext, Processor } from './types.ts';

/**
 * Runs a processor with a deadline. The processor gets an `AbortSignal` that fires at `deadlineMs`
 * (epoch ms); if it ignores the signal, the race still ends at the deadline with a transient
 * {@link DeadlineExceededError}, so one hung downstream cannot eat the invocation's remaining time.
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
  const budgetMs = Math.max(0, deadlineMs - now());
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new DeadlineExceededError(
        `processor did not finish within ${budgetMs} ms (invocation deadline)`,
      );
      controller.abort(error);
      reject(error);
    }, budgetMs);
  });
  try {
    await Promise.race([processor(event, { ...context, signal: controller.signal }), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

export { runProcessor };
