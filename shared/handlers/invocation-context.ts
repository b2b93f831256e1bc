import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';

/**
 * The part of Lambda's context the handlers use: the remaining time for the deadline, and what
 * Powertools Logger adds to every log line (`function_request_id`, `function_name`,
 * `function_arn`, `function_memory_size`, `function_version`). The local emulators provide the same
 * fields (`local/esm/invoke.ts`).
 */
type InvocationContext = Pick<
  Context,
  | 'awsRequestId'
  | 'functionName'
  | 'functionVersion'
  | 'invokedFunctionArn'
  | 'memoryLimitInMB'
  | 'getRemainingTimeInMillis'
>;

/** The Logger calls a handler makes once per invocation. */
type InvocationLogger = Pick<Logger, 'addContext' | 'refreshSampleRateCalculation'>;

/**
 * Starts an invocation's logging as Powertools' `injectLambdaContext` does: a fresh debug-sampling
 * draw, and the invocation's context (request id, function, cold start) on every log line that
 * follows, so a failure in CloudWatch can be tied to its invocation and to a cold start.
 *
 * @param logger - the function's Powertools Logger
 * @param context - Lambda's context, or the emulators' equivalent
 * @example
 * ```ts
 * return async (event: unknown, context: InvocationContext) => {
 *   startInvocationLogging(logger, context);
 * };
 * ```
 */
function startInvocationLogging(logger: InvocationLogger, context: InvocationContext): void {
  logger.refreshSampleRateCalculation();
  // Logger 2.35's addContext reads only the fields InvocationContext picks (plus the optional
  // tenantId), and computes cold_start itself; its signature asks for the whole Context.
  logger.addContext(context as Context);
}

export type { InvocationContext, InvocationLogger };
export { startInvocationLogging };
