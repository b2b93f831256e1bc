import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, describe, expect, it } from 'vitest';
import { MessageKind } from '#shared/pipeline/constants.ts';
import type { RetryMessage } from '#shared/pipeline/messages.ts';
import { peekDeadLetters, releaseLetters } from '../../../local/dlq/dead-letter-reader.ts';
import { localSqsClient } from '../../helpers/local-stack.ts';
import { createQueuePair, receiveMessages } from '../../helpers/queues.ts';

const sqs = localSqsClient();
afterAll(() => sqs.destroy());

const retryMessage: RetryMessage = {
  kind: MessageKind.RETRY,
  event: { specversion: '1.0', id: 'e-unsettled', type: 'order.placed', source: 'test', data: {} },
  source: {
    topic: 'orders',
    partition: 1,
    offset: 42,
    timestamp: 1_795_000_000_000,
    timestampType: 'CREATE_TIME',
    key: 'customer-1',
    keyBase64: 'Y3VzdG9tZXItMQ==',
    headers: {},
  },
  attempts: 2,
  redriveCount: 0,
  failure: {
    stage: 'process',
    errorName: 'TransientError',
    message: 'HTTP 503',
    attempts: 2,
    firstFailureAt: '2026-11-24T17:00:00.000Z',
    lastFailureAt: '2026-11-24T17:01:00.000Z',
    redriveCount: 0,
  },
};

describe('dead-letter reader', () => {
  it('shows a retry message moved by the redrive policy as an unsettled retry, event and coordinates kept', async () => {
    // Prepare: a retry queue whose redrive policy moves a message after one unsettled receive
    const queues = await createQueuePair(sqs, 1, 1);
    await sqs.send(
      new SendMessageCommand({ QueueUrl: queues.retryQueueUrl, MessageBody: JSON.stringify(retryMessage) }),
    );

    // Act: a worker receives it and dies without settling it; the next receive moves it
    expect(await receiveMessages(sqs, queues.retryQueueUrl, 1)).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await receiveMessages(sqs, queues.retryQueueUrl, 1, 0)).toHaveLength(0);
    const peeked = await peekDeadLetters(sqs, queues.dlqUrl, 10);
    await releaseLetters(sqs, queues.dlqUrl, peeked);

    // Assess
    expect(peeked).toHaveLength(1);
    expect(peeked[0]?.letter).toMatchObject({
      event: { id: 'e-unsettled' },
      source: { topic: 'orders', partition: 1, offset: 42 },
      failure: { stage: 'process', errorName: 'RetryNotSettled', attempts: 2 },
    });
    expect(peeked[0]?.letter?.failure.message).toContain('last failure: HTTP 503');
  });
});
