import { DeleteMessageBatchCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse } from 'aws-lambda';
import { SQS_MAX_BATCH_ENTRIES } from '#shared/config/limits.ts';

/**
 * Does what Lambda's SQS event source does after an invocation with `ReportBatchItemFailures`
 * (the handler answers an `SQSBatchResponse`, or nothing when every message succeeded):
 * deletes the messages the handler did not report, leaves the reported ones to become visible
 * again. Returns how many were deleted.
 *
 * @example
 * ```ts
 * await deleteSucceeded(sqs, queueUrl, messages, await handler(toSqsEvent(messages, arn, region), context));
 * ```
 */
async function deleteSucceeded(
  client: SQSClient,
  queueUrl: string,
  messages: readonly Message[],
  response: Partial<SQSBatchResponse> | undefined,
): Promise<number> {
  const failed = new Set((response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
  const done = messages.filter((message) => !failed.has(message.MessageId ?? ''));
  for (let start = 0; start < done.length; start += SQS_MAX_BATCH_ENTRIES) {
    const batch = done.slice(start, start + SQS_MAX_BATCH_ENTRIES);
    const result = await client.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: batch.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle })),
      }),
    );
    if (result.Failed?.length) {
      throw new Error(
        `could not delete ${result.Failed.length} processed messages: ${result.Failed[0]?.Message}`,
      );
    }
  }
  return done.length;
}

export { deleteSucceeded };
