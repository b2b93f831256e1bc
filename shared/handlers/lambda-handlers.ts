import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse } from 'aws-lambda';
import type { PipelineSettings } from '../config/runtime-config.ts';
import { BatchMetrics } from '../observability/batch-metrics.ts';
import { deadLetteredByStage, MetricName } from '../observability/metric-names.ts';
import type { OutcomeKind } from '../pipeline/batch.ts';
import { consumeBatch, type RecordOutcome } from '../pipeline/consume-batch.ts';
import { HandOffError, stageOf, wasAttempted } from '../pipeline/errors.ts';
import { KafkaEventSchema } from '../pipeline/kafka-event.ts';
import type { KafkaCoordinates } from '../pipeline/messages.ts';
import type { PipelinePorts } from '../pipeline/ports.ts';
import { type MessageOutcome, retryBatch } from '../pipeline/retry-batch.ts';
import { SqsEventSchema } from '../pipeline/sqs-retry-event.ts';

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

/** The levels at which Logger prints `debug` lines. */
const DEBUG_LEVELS: ReadonlySet<string> = new Set(['TRACE', 'DEBUG']);

/** The count each outcome adds to: one metric per word of the outcome vocabulary. */
const OUTCOME_METRIC: Readonly<Record<OutcomeKind, MetricName>> = {
  processed: MetricName.PROCESSED,
  retry: MetricName.RETRIED,
  deferred: MetricName.DEFERRED,
  requeued: MetricName.SHORT_CIRCUITED,
  'dead-letter': MetricName.DEAD_LETTERED,
};

/**
 * The Kafka consumer's Lambda handler: settles every record of the batch (processed, retry queue
 * or DLQ), logs each failure with its coordinates, publishes the batch's metrics once, and throws
 * only when a hand-off was not acknowledged — so that the event source mapping redelivers the
 * batch instead of committing past records that are nowhere durable.
 *
 * @example
 * ```ts
 * export const handler = createKafkaConsumerHandler({ deps, settings: config, logger, metrics });
 * ```
 */
function createKafkaConsumerHandler(options: HandlerOptions) {
  const { deps, logger } = options;
  const now = options.now ?? Date.now;
  return (rawEvent: unknown, context: InvocationContext): Promise<void> =>
    invocation(options, context, async (batch) => {
      const parsed = KafkaEventSchema.safeParse(rawEvent);
      if (!parsed.success) {
        // Not a record problem: the function is wired to something that is not a Kafka ESM.
        throw new Error(`not a Kafka event: ${parsed.error.issues[0]?.message ?? 'unknown shape'}`);
      }
      // Read once per batch, after the sampling draw: below DEBUG, a processed record builds no log line.
      const debug = DEBUG_LEVELS.has(logger.getLevelName());
      try {
        const outcomes = await consumeBatch(parsed.data, () => context.getRemainingTimeInMillis(), {
          ...deps,
          settings: options.settings,
          now,
          random: options.random,
          onOutcome: (outcome) => observeRecord(outcome, batch, logger, now, debug),
        });
        batch.observe(MetricName.BATCH_SIZE, outcomes.length, 'Count');
        logger.info('batch settled', {
          records: outcomes.length,
          processed: batch.countOf(MetricName.PROCESSED),
          retried: batch.countOf(MetricName.RETRIED),
          deferred: batch.countOf(MetricName.DEFERRED),
          deadLettered: batch.countOf(MetricName.DEAD_LETTERED),
        });
      } catch (error) {
        if (error instanceof HandOffError) batch.count(MetricName.HAND_OFF_FAILURES);
        logger.error('batch failed; the event source will redeliver it', { error });
        throw error;
      }
    });
}

/**
 * The retry worker's Lambda handler, for an SQS event source with `ReportBatchItemFailures`:
 * retries each message (see {@link retryBatch}) and reports the ones to keep.
 *
 * @example
 * ```ts
 * export const handler = createRetryWorkerHandler({ deps, settings: config, logger, metrics });
 * ```
 */
function createRetryWorkerHandler(options: HandlerOptions) {
  const { deps, logger } = options;
  return (rawEvent: unknown, context: InvocationContext): Promise<SQSBatchResponse> =>
    invocation(options, context, async (batch) => {
      const event = SqsEventSchema.parse(rawEvent);
      const records = event.Records.map((record) => ({
        messageId: record.messageId,
        receiptHandle: record.receiptHandle,
        body: record.body,
        receiveCount: Number(record.attributes.ApproximateReceiveCount) || 1,
      }));
      const { failedMessageIds } = await retryBatch(records, () => context.getRemainingTimeInMillis(), {
        ...deps,
        settings: options.settings,
        now: options.now,
        random: options.random,
        onOutcome: (outcome) => observeMessage(outcome, batch, logger),
      });
      return { batchItemFailures: failedMessageIds.map((itemIdentifier) => ({ itemIdentifier })) };
    });
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

function observeRecord(
  outcome: RecordOutcome,
  batch: BatchMetrics,
  logger: HandlerOptions['logger'],
  now: () => number,
  debug: boolean,
): void {
  const coordinates = outcome.kind === 'dead-letter' ? outcome.coordinates : outcome.record.coordinates;
  const event = outcome.kind === 'dead-letter' ? outcome.event : outcome.record.event;
  batch.count(MetricName.RECEIVED);
  batch.count(OUTCOME_METRIC[outcome.kind]);
  batch.observe(MetricName.EVENT_AGE, Math.max(0, now() - coordinates.timestamp));
  if (outcome.kind === 'processed') {
    batch.observe(MetricName.PROCESSING_LATENCY, outcome.latencyMs);
    if (debug)
      logger.debug('record processed', { ...keysOf(coordinates, event), latencyMs: outcome.latencyMs });
    return;
  }
  const keys = keysOf(coordinates, event);
  if (outcome.kind === 'deferred') {
    logger.info('record deferred to the retry queue (invocation deadline)', keys);
  } else if (outcome.kind === 'retry') {
    if (!wasAttempted(outcome.error)) batch.count(MetricName.SHORT_CIRCUITED);
    const { delaySeconds } = outcome;
    logger.warn('record scheduled for retry', { ...keys, ...errorKeys(outcome.error), delaySeconds });
  } else {
    batch.count(deadLetteredByStage(stageOf(outcome.error)));
    logger.warn('record dead-lettered', { ...keys, ...errorKeys(outcome.error) });
  }
}

function observeMessage(
  outcome: MessageOutcome,
  batch: BatchMetrics,
  logger: HandlerOptions['logger'],
): void {
  const { messageId } = outcome;
  batch.count(MetricName.RECEIVED);
  batch.count(OUTCOME_METRIC[outcome.kind]);
  if (outcome.kind === 'processed') {
    logger.info('retry succeeded', { messageId, attempt: outcome.attempt, eventType: outcome.eventType });
  } else if (outcome.kind === 'retry') {
    const { attempt, delaySeconds } = outcome;
    logger.warn('retry failed, backing off', {
      messageId,
      attempt,
      delaySeconds,
      ...errorKeys(outcome.error),
    });
  } else if (outcome.kind === 'requeued') {
    const { attemptsMade, delaySeconds } = outcome;
    logger.info('circuit open: retry requeued without spending an attempt', {
      messageId,
      attemptsMade,
      delaySeconds,
    });
  } else if (outcome.kind === 'dead-letter') {
    const { failure, source, event } = outcome.letter;
    batch.count(deadLetteredByStage(failure.stage));
    if (outcome.exhausted) batch.count(MetricName.RETRY_EXHAUSTED);
    logger.warn(outcome.exhausted ? 'retries exhausted, dead-lettered' : 'dead-lettered', {
      messageId,
      ...keysOf(source, event),
      stage: failure.stage,
      errorName: failure.errorName,
      errorMessage: failure.message.slice(0, 500),
      attempts: failure.attempts,
      redriveCount: failure.redriveCount,
      parked: failure.parked ?? false,
    });
  }
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

export type { HandlerOptions, InvocationContext };
export { createKafkaConsumerHandler, createRetryWorkerHandler };
