import type { RetryQueue, ScheduledRetry } from '../pipeline/types.ts';
import { sendInBatches } from './sqs-batch-sender.ts';
import type { SqsSender } from './sqs-sdk.ts';

/**
 * The SQS retry queue: each retry message is one SQS message whose first delay is `DelaySeconds`.
 * Attributes repeat the event type and topic so that consumers and operators can filter.
 *
 * @example
 * ```ts
 * const retryQueue = sqsRetryQueue(sqs, config.retryQueueUrl);
 * await retryQueue.schedule([{ message, delaySeconds: 12 }]);
 * ```
 */
function sqsRetryQueue(client: SqsSender, queueUrl: string): RetryQueue {
  return {
    async schedule(retries: readonly ScheduledRetry[]): Promise<void> {
      await sendInBatches(
        client,
        queueUrl,
        retries.map((retry, index) => ({
          id: String(index),
          body: retry.body ?? JSON.stringify(retry.message),
          delaySeconds: retry.delaySeconds,
          attributes: {
            eventType: retry.message.event.type,
            topic: retry.message.source.topic,
            attempts: String(retry.message.attempts),
          },
        })),
      );
    },
  };
}

export { sqsRetryQueue };
