import type { SendMessageBatchRequestEntry } from '@aws-sdk/client-sqs';
import pMap from 'p-map';
import pRetry, { AbortError } from 'p-retry';
import { SQS_MAX_BATCH_ENTRIES, SQS_MAX_MESSAGE_BYTES } from '../config/limits.ts';
import type { DeadLetter } from '../pipeline/messages.ts';
import type { DeadLetterQueue, RetryQueue, VisibilityControl } from '../pipeline/ports.ts';
import type { ScheduledRetry } from '../pipeline/queue-messages.ts';
import { chunkBySize } from './chunk-by-size.ts';
import { loadSqsSdk, type SqsSender } from './sqs-sdk.ts';

/**
 * The pipeline's SQS queues: the retry queue (send, and the worker's visibility backoff) and the
 * dead-letter queue, on one batch sender.
 */

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
    schedule: sendEach(client, queueUrl, (retry: ScheduledRetry) => ({
      body: retry.body ?? JSON.stringify(retry.message),
      delaySeconds: retry.delaySeconds,
      attributes: {
        eventType: retry.message.event.type,
        topic: retry.message.source.topic,
        attempts: String(retry.message.attempts),
      },
    })),
  };
}

/** Room left for message attributes when deciding whether a body fits. */
const ATTRIBUTE_ALLOWANCE_BYTES = 2_048;

/**
 * The SQS dead-letter queue. Bodies are {@link DeadLetter} JSON; attributes repeat `stage`,
 * `errorName`, `eventType` and `topic` (and `parked`) for filtering without parsing bodies. A dead
 * letter too large for SQS loses its payload, keeps its Kafka coordinates and is flagged
 * `oversized`, so it can be replayed from Kafka by offset.
 *
 * @example
 * ```ts
 * await sqsDeadLetterQueue(sqs, config.dlqUrl, config.maxMessageBytes).send([letter]);
 * ```
 */
function sqsDeadLetterQueue(client: SqsSender, queueUrl: string, maxMessageBytes: number): DeadLetterQueue {
  return {
    send: sendEach(client, queueUrl, (letter: DeadLetter) => ({
      body: serializeDeadLetter(letter, maxMessageBytes - ATTRIBUTE_ALLOWANCE_BYTES),
      attributes: deadLetterAttributes(letter),
    })),
  };
}

/** The dead letter as JSON, without its payload if the whole would exceed `maxBytes`. */
function serializeDeadLetter(letter: DeadLetter, maxBytes: number): string {
  const body = JSON.stringify(letter);
  if (Buffer.byteLength(body) <= maxBytes) return body;
  const slim: DeadLetter = {
    ...letter,
    event: letter.event ? { id: letter.event.id, type: letter.event.type } : null,
    raw: null,
    failure: { ...letter.failure, details: undefined, stack: undefined },
    oversized: true,
  };
  return JSON.stringify(slim);
}

function deadLetterAttributes(letter: DeadLetter): Record<string, string> {
  return {
    stage: letter.failure.stage,
    errorName: letter.failure.errorName,
    eventType: letter.event?.type ?? 'unknown',
    topic: letter.source.topic,
    ...(letter.failure.parked ? { parked: 'true' } : {}),
  };
}

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

/** Sends items as one message each (numbered in order), through {@link sendInBatches}. */
function sendEach<Item>(
  client: SqsSender,
  queueUrl: string,
  toEntry: (item: Item) => Omit<BatchEntry, 'id'>,
): (items: readonly Item[]) => Promise<void> {
  return (items) =>
    sendInBatches(
      client,
      queueUrl,
      items.map((item, index) => ({ id: String(index), ...toEntry(item) })),
    );
}

/** One message to send; `id` must be unique within the call. */
interface BatchEntry {
  readonly id: string;
  readonly body: string;
  readonly delaySeconds?: number;
  readonly attributes?: Readonly<Record<string, string>>;
}

/** Entries SQS rejected that a resend may fix (throttling, internal errors) are tried this often. */
const MAX_ENTRY_RETRIES = 3;
const ENTRY_RETRY_BASE_MS = 100;
/** How many SendMessageBatch calls run at once for one hand-off. */
const SEND_PARALLELISM = 4;

/**
 * Sends messages with `SendMessageBatch`: at most 10 entries and 1 MiB per call, calls in
 * parallel, entries that fail on the server side resent (up to {@link MAX_ENTRY_RETRIES} times).
 * Resolves only when every entry is acknowledged; throws, naming the failed entries, otherwise.
 * With ten messages a call, a hand-off of n messages costs about n/10 requests.
 *
 * @example
 * ```ts
 * await sendInBatches(sqs, queueUrl, [{ id: '0', body: '{"a":1}', delaySeconds: 10 }]);
 * ```
 */
async function sendInBatches(
  client: SqsSender,
  queueUrl: string,
  entries: readonly BatchEntry[],
): Promise<void> {
  const chunks = chunk(entries);
  try {
    // Every batch is attempted even when one fails: the ones SQS took need no resend.
    await pMap(chunks, (batch) => sendChunk(client, queueUrl, batch), {
      concurrency: SEND_PARALLELISM,
      stopOnError: false,
    });
  } catch (error) {
    const errors = error instanceof AggregateError ? (error.errors as Error[]) : [error as Error];
    throw new Error(
      `SQS did not accept ${errors.length} of ${chunks.length} batches: ${errors[0]?.message}`,
      { cause: errors[0] },
    );
  }
}

/**
 * One `SendMessageBatch` call, then resends of only the entries that failed on the server side,
 * {@link ENTRY_RETRY_BASE_MS} ms after the first failure, doubling. A sender fault (a malformed
 * entry) is not resent, nor is a failed call: the SDK has already retried that.
 */
async function sendChunk(client: SqsSender, queueUrl: string, batch: readonly BatchEntry[]): Promise<void> {
  const { SendMessageBatchCommand } = await loadSqsSdk();
  let pending = batch;
  await pRetry(
    async () => {
      const response = await client
        .send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: pending.map(toRequestEntry) }))
        .catch((error: unknown) => {
          throw new AbortError(error as Error);
        });
      const failed = response.Failed ?? [];
      if (failed.length === 0) return;
      const first = failed[0];
      const error = new Error(`${failed.length} entries rejected (first: ${first?.Code}: ${first?.Message})`);
      if (failed.some((entry) => entry.SenderFault)) throw new AbortError(error);
      const failedIds = new Set(failed.map((entry) => entry.Id));
      pending = pending.filter((entry) => failedIds.has(entry.id));
      throw error;
    },
    { retries: MAX_ENTRY_RETRIES, minTimeout: ENTRY_RETRY_BASE_MS, factor: 2 },
  );
}

function toRequestEntry(entry: BatchEntry): SendMessageBatchRequestEntry {
  return {
    Id: entry.id,
    MessageBody: entry.body,
    DelaySeconds: entry.delaySeconds,
    MessageAttributes: entry.attributes
      ? Object.fromEntries(
          Object.entries(entry.attributes).map(([name, value]) => [
            name,
            { DataType: 'String', StringValue: value },
          ]),
        )
      : undefined,
  };
}

/** Groups entries into batches of at most 10 entries and at most 1 MiB of bodies and attributes. */
function chunk(entries: readonly BatchEntry[]): BatchEntry[][] {
  return chunkBySize(entries, entrySize, SQS_MAX_MESSAGE_BYTES, SQS_MAX_BATCH_ENTRIES);
}

function entrySize(entry: BatchEntry): number {
  let size = Buffer.byteLength(entry.body);
  for (const [name, value] of Object.entries(entry.attributes ?? {})) {
    size += Buffer.byteLength(name) + Buffer.byteLength(value) + 'String'.length;
  }
  return size;
}

export type { BatchEntry };
export {
  chunk,
  deadLetterAttributes,
  entrySize,
  sendInBatches,
  serializeDeadLetter,
  sqsDeadLetterQueue,
  sqsRetryQueue,
  sqsVisibility,
};
