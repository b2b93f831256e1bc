import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, describe, expect, it } from 'vitest';
import { MessageKind } from '#shared/pipeline/constants.ts';
import type { DeadLetter } from '#shared/pipeline/messages.ts';
import { redrive } from '../../../local/dlq/redrive.ts';
import { endpoints, localSqsClient, uniqueName } from '../../helpers/local-stack.ts';
import { createQueuePair, receiveMessages } from '../../helpers/queues.ts';

const sqs = localSqsClient();
afterAll(() => sqs.destroy());

/** A dead letter of a record refused for its shape whose value was a number: nothing to publish. */
function lostValueLetter(topic: string): DeadLetter {
  return {
    kind: MessageKind.DEAD_LETTER,
    event: null,
    raw: { keyBase64: 'azE=', valueBase64: null, unkept: { value: 'it was a number, not a base64 string' } },
    source: {
      topic,
      partition: 0,
      offset: 5,
      timestamp: 1_795_000_000_000,
      timestampType: 'CREATE_TIME',
      key: 'k1',
      keyBase64: 'azE=',
      headers: {},
    },
    failure: {
      stage: 'decode',
      errorName: 'DecodeError',
      message: 'malformed Kafka record: value: Invalid input',
      attempts: 1,
      firstFailureAt: '2026-11-27T10:00:00.000Z',
      lastFailureAt: '2026-11-27T10:00:00.000Z',
      redriveCount: 0,
    },
    oversized: false,
  };
}

describe('redrive of a dead letter whose value was lost', () => {
  it.each([
    // A dry run to the retry queue selects it (the worker will report the loss), saying why it will fail.
    ['a dry run', { dryRun: true }, { selected: 1, skippedLostValue: 0 }],
    [
      'a republish to Kafka',
      { toKafka: { brokers: endpoints.kafkaBrokers } },
      { selected: 0, skippedLostValue: 1 },
    ],
  ])(
    '%s names the lost value, never a tombstone, and leaves the letter in the DLQ',
    async (_, mode, counts) => {
      // Prepare: the topic is unique and never created, so nothing can be published to it unnoticed
      const queues = await createQueuePair(sqs, 30, 5);
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: queues.dlqUrl,
          MessageBody: JSON.stringify(lostValueLetter(uniqueName('it-lost-value'))),
        }),
      );
      const lines: string[] = [];
      // Act
      const result = await redrive({ sqs, ...queues, rate: 100, ...mode, onProgress: (l) => lines.push(l) });
      // Assess
      expect(result).toMatchObject({ moved: 0, ...counts });
      expect(lines.join('\n')).toContain(
        "the record's value could not be kept: it was a number, not a base64 string (malformed record)",
      );
      expect(lines.join('\n')).not.toContain('tombstone');
      expect(await receiveMessages(sqs, queues.dlqUrl, 1)).toHaveLength(1);
    },
  );
});
