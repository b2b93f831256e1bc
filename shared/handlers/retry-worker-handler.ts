import type { SQSBatchResponse } from 'aws-lambda';
import type { BatchMetrics } from '../observability/batch-metrics.ts';
import { deadLetteredByStage, MetricName } from '../observability/metric-names.ts';
import { type MessageOutcome, retryBatch } from '../pipeline/retry-batch.ts';
import type { HandlerOptions, InvocationContext } from './invocation-context.ts';
import { countOutcome, errorKeys, invocation, keysOf } from './invocation-context.ts';
import { parseSqsEvent } from './sqs-event.ts';

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
      const event = parseSqsEvent(rawEvent);
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

function observeMessage(
  outcome: MessageOutcome,
  batch: BatchMetrics,
  logger: HandlerOptions['logger'],
): void {
  const { messageId } = outcome;
  countOutcome(batch, outcome.kind);
  if (outcome.kind === 'processed') {
    logger.info('retry succeeded', { messageId, attempt: outcome.attempt, eventType: outcome.eventType });
  } else if (outcome.kind === 'retry') {
    const { attempt, delaySeconds, error } = outcome;
    logger.warn('retry failed, backing off', { messageId, attempt, delaySeconds, ...errorKeys(error) });
  } else if (outcome.kind === 'requeued') {
    const keys = { messageId, attemptsMade: outcome.attemptsMade, delaySeconds: outcome.delaySeconds };
    logger.info('circuit open: retry requeued without spending an attempt', keys);
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

export { createRetryWorkerHandler };
