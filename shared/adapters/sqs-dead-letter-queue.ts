import type { DeadLetter } from '../pipeline/messages.ts';
import type { DeadLetterQueue } from '../pipeline/types.ts';
import { sendInBatches } from './sqs-batch-sender.ts';
import type { SqsSender } from './sqs-sdk.ts';

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
    async send(letters: readonly DeadLetter[]): Promise<void> {
      await sendInBatches(
        client,
        queueUrl,
        letters.map((letter, index) => ({
          id: String(index),
          body: serializeDeadLetter(letter, maxMessageBytes - ATTRIBUTE_ALLOWANCE_BYTES),
          attributes: deadLetterAttributes(letter),
        })),
      );
    },
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

export { deadLetterAttributes, serializeDeadLetter, sqsDeadLetterQueue };
