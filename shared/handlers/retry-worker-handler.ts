import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { BatchMetrics } from '../observability/batch-metrics.ts';
import { deadLetteredByStage, MetricName } from '../observability/metric-names.ts';
import { type RetryOutcome, type RetrySettings, retryBatch } from '../pipeline/retry-batch.ts';
import { SqsEventSchema } from '../pipeline/sqs-retry-event.ts';
import {
  type InvocationContext,
  type InvocationLogger,
  startInvocationLogging,
} from './invocation-context.ts';
import { errorKeys } from './kafka-consumer-handler.ts';
import type { PipelineDependencies } from './pipeline-dependencies.ts';

interface RetryWorkerHandlerOptions {
  readonly deps: PipelineDependencies;
  readonly settings: RetrySettings;
  readonly logger: Pick<Logger, 'debug' | 'info' | 'warn' | 'error'> & InvocationLogger;
  readonly metrics: Pick<Metrics, 'addMetric' | 'publishStoredMetrics'>;
  readonly now?: () => number;
  readonly random?: () => number;
}

/** The SQS batch response with `ReportBatchItemFailures`: only these messages stay on the queue. */
interface BatchItemFailures {
  batchItemFailures: { itemIdentifier: string }[];
}

/**
 * The retry worker's Lambda handler, for an SQS event source with `ReportBatchItemFailures`:
 * retries each message (see {@link retryBatch}) and reports the ones to keep.
 *
 * @example
 * ```ts
 * export const handler = createRetryWorkerHandler({ deps, settings, logger, metrics });
 * ```
 */
function createRetryWorkerHandler(options: RetryWorkerHandlerOptions) {
  const { deps, logger, metrics } = options;
  return async (rawEvent: unknown, context: InvocationContext): Promise<BatchItemFailures> => {
    startInvocationLogging(logger, context);
    const event = SqsEventSchema.parse(rawEvent);
    const records = event.Records.map((record) => ({
      messageId: record.messageId,
      receiptHandle: record.receiptHandle,
      body: record.body,
      receiveCount: Number(record.attributes.ApproximateReceiveCount) || 1,
    }));
    const batch = new BatchMetrics();
    try {
      const { failedMessageIds } = await retryBatch(records, () => context.getRemainingTimeInMillis(), {
        ...deps,
        settings: options.settings,
        now: options.now,
        random: options.random,
        onOutcome: (outcome) => observe(outcome, batch, logger),
      });
      return { batchItemFailures: failedMessageIds.map((itemIdentifier) => ({ itemIdentifier })) };
    } finally {
      batch.publish(metrics);
    }
  };
}

function observe(
  outcome: RetryOutcome,
  batch: BatchMetrics,
  logger: RetryWorkerHandlerOptions['logger'],
): void {
  const keys = { messageId: outcome.messageId };
  batch.count(MetricName.RECEIVED);
  switch (outcome.kind) {
    case 'processed':
      batch.count(MetricName.PROCESSED);
      logger.info('retry succeeded', { ...keys, attempt: outcome.attempt, eventType: outcome.eventType });
      return;
    case 'retry':
      batch.count(MetricName.RETRIED);
      logger.warn('retry failed, backing off', {
        ...keys,
        attempt: outcome.attempt,
        delaySeconds: outcome.delaySeconds,
        ...errorKeys(outcome.error),
      });
      return;
    case 'deferred':
      batch.count(MetricName.DEFERRED);
      return;
    case 'requeued':
      batch.count(MetricName.SHORT_CIRCUITED);
      logger.info('circuit open: retry requeued without spending an attempt', {
        ...keys,
        attemptsMade: outcome.attemptsMade,
        delaySeconds: outcome.delaySeconds,
      });
      return;
    case 'dead-letter': {
      const { failure, source, event } = outcome.letter;
      batch.count(MetricName.DEAD_LETTERED);
      batch.count(deadLetteredByStage(failure.stage));
      if (outcome.exhausted) batch.count(MetricName.RETRY_EXHAUSTED);
      logger.warn(outcome.exhausted ? 'retries exhausted, dead-lettered' : 'dead-lettered', {
        ...keys,
        topic: source.topic,
        partition: source.partition,
        offset: source.offset,
        eventId: event?.id,
        eventType: event?.type,
        stage: failure.stage,
        errorName: failure.errorName,
        errorMessage: failure.message.slice(0, 500),
        attempts: failure.attempts,
        redriveCount: failure.redriveCount,
        parked: failure.parked ?? false,
      });
    }
  }
}

export type { BatchItemFailures, RetryWorkerHandlerOptions };
export { createRetryWorkerHandler };
