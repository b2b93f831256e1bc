import { randomBytes, randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { DEFAULT_LOCAL_REGION } from '#shared/config/local-endpoints.ts';
import type { InvocationContext } from '#shared/handlers/invocation-context.ts';

/**
 * Lambda's default memory size, used when the caller names none
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html: "128 MB by default").
 */
const DEFAULT_MEMORY_LIMIT_MB = 128;
/** LocalStack's and moto's account id: clearly not a real account. */
const LOCAL_ACCOUNT_ID = '000000000000';

/** What the emulators pass as Lambda's context: the handlers' fields plus the log destination. */
type LambdaContextLike = InvocationContext & Pick<Context, 'logGroupName' | 'logStreamName'>;

/** A handler as the emulators invoke it: Lambda's signature, in this process. */
type LocalHandler = (event: unknown, context: LambdaContextLike) => Promise<unknown>;

interface InvokeOptions {
  readonly functionName: string;
  readonly timeoutMs: number;
  /** @default 128 (Lambda's default) */
  readonly memoryLimitInMB?: number;
}

/** The function ran past its timeout, as Lambda reports "Task timed out". */
class FunctionTimeoutError extends Error {
  constructor(functionName: string, timeoutMs: number) {
    super(`${functionName} timed out after ${timeoutMs} ms`);
    this.name = 'FunctionTimeoutError';
  }
}

/**
 * This process plays one execution environment per function: Lambda names a log stream after its
 * environment (`YYYY/MM/DD/[$LATEST]<id>`), so every invocation of a function here shares one.
 */
const logStreams = new Map<string, string>();

function logStreamOf(functionName: string): string {
  let stream = logStreams.get(functionName);
  if (stream === undefined) {
    const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
    stream = `${day}/[$LATEST]${randomBytes(16).toString('hex')}`;
    logStreams.set(functionName, stream);
  }
  return stream;
}

/**
 * One invocation's context as Lambda builds it: a fresh request id, `$LATEST`, the function ARN,
 * memory size, log group and stream, and a remaining time that counts down from the timeout.
 * Tests and benchmarks that call a handler directly use it too, so they log what Lambda would.
 *
 * @example
 * ```ts
 * await handler(event, localContext({ functionName: 'kafka-consumer', timeoutMs: 60_000 }));
 * ```
 */
function localContext(options: InvokeOptions): LambdaContextLike {
  const deadline = Date.now() + options.timeoutMs;
  const { functionName } = options;
  return {
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${DEFAULT_LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:function:${functionName}`,
    memoryLimitInMB: String(options.memoryLimitInMB ?? DEFAULT_MEMORY_LIMIT_MB),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: logStreamOf(functionName),
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}

/**
 * Invokes a handler the way Lambda does: with a fresh {@link localContext}, failing with
 * {@link FunctionTimeoutError} when the function timeout passes.
 *
 * @example
 * ```ts
 * const response = await invokeLocally(handler, event, { functionName: 'kafka-consumer', timeoutMs: 60_000 });
 * ```
 */
async function invokeLocally(
  handler: LocalHandler,
  event: unknown,
  options: InvokeOptions,
): Promise<unknown> {
  const context = localContext(options);
  const { functionName } = options;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new FunctionTimeoutError(functionName, options.timeoutMs)),
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
export { FunctionTimeoutError, invokeLocally, localContext };
