import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import type { PipelineSettings } from '../config/runtime-config.ts';
import { BatchMetrics } from '../observability/batch-metrics.ts';
import { MetricName } from '../observability/metric-names.ts';
import type { OutcomeKind } from '../pipeline/batch.ts';
import { stageOf } from '../pipeline/errors.ts';
import type { KafkaCoordinates } from '../pipeline/messages.ts';
import type { PipelinePorts } from '../pipeline/ports.ts';

/**
 * What the two handlers (`kafka-consumer-handler.ts`, `retry-worker-handler.ts`) share: their
 * options, the start and end of an invocation, and how an outcome is counted and described. Each
 * handler has a file of its own so that neither function's bundle carries the other's batch code
 * and event schema.
 */

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

/** What both handler factories are built with, once per container. */
interface HandlerOptions {
  readonly deps: PipelinePorts;
  /** The function's `RuntimeConfig` (or any object with these settings). */
  readonly settings: PipelineSettings;
  readonly logger: Pick<Logger, 'debug' | 'info' | 'warn' | 'error' | 'getLevelName'> & InvocationLogger;
  readonly metrics: Pick<Metrics, 'addMetric' | 'publishStoredMetrics'>;
  readonly now?: () => number;
  readonly random?: () => number;
}

/** The count each outcome adds to: one metric per word of the outcome vocabulary. */
const OUTCOME_METRIC: Readonly<Record<OutcomeKind, MetricName>> = {
  processed: MetricName.PROCESSED,
  retry: MetricName.RETRIED,
  deferred: MetricName.DEFERRED,
  requeued: MetricName.SHORT_CIRCUITED,
  'dead-letter': MetricName.DEAD_LETTERED,
};

/** Counts one settled record or message: received, and its outcome. */
function countOutcome(batch: BatchMetrics, kind: OutcomeKind): void {
  batch.count(MetricName.RECEIVED);
  batch.count(OUTCOME_METRIC[kind]);
}

/**
 * One invocation of either handler: its logging started as Powertools' `injectLambdaContext` does
 * (a fresh debug-sampling draw, the context on every log line that follows), its metrics collected
 * and published once, as one EMF blob, whatever happens.
 */
async function invocation<Result>(
  options: HandlerOptions,
  context: InvocationContext,
  run: (batch: BatchMetrics) => Promise<Result>,
): Promise<Result> {
  startInvocationLogging(options.logger, context);
  const batch = new BatchMetrics();
  try {
    return await run(batch);
  } finally {
    batch.publish(options.metrics);
  }
}

/**
 * Starts an invocation's logging: a fresh debug-sampling draw, and the invocation's context
 * (request id, function, cold start) on every log line that follows, so a failure in CloudWatch can
 * be tied to its invocation and to a cold start.
 */
function startInvocationLogging(logger: InvocationLogger, context: InvocationContext): void {
  logger.refreshSampleRateCalculation();
  // Logger 2.35's addContext reads only the fields InvocationContext picks (plus the optional
  // tenantId), and computes cold_start itself; its signature asks for the whole Context.
  logger.addContext(context as Context);
}

/** Where a record came from and which event it carried: what every record log line says. */
function keysOf(coordinates: KafkaCoordinates, event: { id: string; type: string } | null) {
  return {
    topic: coordinates.topic,
    partition: coordinates.partition,
    offset: coordinates.offset,
    eventId: event?.id,
    eventType: event?.type,
  };
}

/** Error name, stage and message only: never the payload. */
function errorKeys(error: unknown): Record<string, string> {
  const asError = error instanceof Error ? error : new Error(String(error));
  return { stage: stageOf(error), errorName: asError.name, errorMessage: asError.message.slice(0, 500) };
}

export type { HandlerOptions, InvocationContext, InvocationLogger };
export { countOutcome, errorKeys, invocation, keysOf };
