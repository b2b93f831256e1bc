import { randomUUID } from 'node:crypto';

/** What the emulators pass as Lambda's context. */
interface LambdaContextLike {
  readonly functionName: string;
  readonly awsRequestId: string;
  getRemainingTimeInMillis(): number;
}

/** A handler as the emulators invoke it: Lambda's signature, in this process. */
type LocalHandler = (event: unknown, context: LambdaContextLike) => Promise<unknown>;

/** The function ran past its timeout, as Lambda reports "Task timed out". */
class FunctionTimeoutError extends Error {
  constructor(functionName: string, timeoutMs: number) {
    super(`${functionName} timed out after ${timeoutMs} ms`);
    this.name = 'FunctionTimeoutError';
  }
}

/**
 * Invokes a handler the way Lambda does: with a context whose remaining time counts down from the
 * function timeout, failing with {@link FunctionTimeoutError} when the timeout passes.
 *
 * @example
 * ```ts
 * const response = await invokeLocally(handler, event, { functionName: 'kafka-consumer', timeoutMs: 60_000 });
 * ```
 */
async function invokeLocally(
  handler: LocalHandler,
  event: unknown,
  options: { functionName: string; timeoutMs: number },
): Promise<unknown> {
  const deadline = Date.now() + options.timeoutMs;
  const context: LambdaContextLike = {
    functionName: options.functionName,
    awsRequestId: randomUUID(),
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new FunctionTimeoutError(options.functionName, options.timeoutMs)),
      options.timeoutMs,
    );
  });
  try {
    return await Promise.race([handler(event, context), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export type { LambdaContextLike, LocalHandler };
export { FunctionTimeoutError, invokeLocally };
