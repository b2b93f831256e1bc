import type { VisibilityControl } from '../pipeline/retry-batch.ts';
import { loadSqsSdk, type SqsSender } from './sqs-sdk.ts';

/**
 * `ChangeMessageVisibility` on the retry queue: how the retry worker delays a message's next
 * attempt (up to 12 hours, counted from the call).
 *
 * @example
 * ```ts
 * await sqsVisibility(sqs, config.retryQueueUrl).changeVisibility(receiptHandle, 120);
 * ```
 */
function sqsVisibility(client: SqsSender, queueUrl: string): VisibilityControl {
  return {
    async changeVisibility(receiptHandle: string, seconds: number): Promise<void> {
      const { ChangeMessageVisibilityCommand } = await loadSqsSdk();
      await client.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: queueUrl,
          ReceiptHandle: receiptHandle,
          VisibilityTimeout: seconds,
        }),
      );
    },
  };
}

export { sqsVisibility };
