import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { uniqueName } from './local-stack.ts';

interface QueuePair {
  retryQueueUrl: string;
  retryQueueArn: string;
  dlqUrl: string;
  dlqArn: string;
}

/**
 * A retry queue and its DLQ as the stack creates them: the DLQ is the retry queue's redrive
 * target (maxReceiveCount a little above maxAttempts), so StartMessageMoveTask can redrive it.
 */
async function createQueuePair(
  sqs: SQSClient,
  visibilityTimeoutSeconds = 30,
  maxReceiveCount = 10,
): Promise<QueuePair> {
  const name = uniqueName('it');
  const dlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }))).QueueUrl ?? '';
  const dlqArn = await arnOf(sqs, dlqUrl);
  const retryQueueUrl =
    (
      await sqs.send(
        new CreateQueueCommand({
          QueueName: `${name}-retry`,
          Attributes: {
            VisibilityTimeout: String(visibilityTimeoutSeconds),
            RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount }),
          },
        }),
      )
    ).QueueUrl ?? '';
  return { retryQueueUrl, retryQueueArn: await arnOf(sqs, retryQueueUrl), dlqUrl, dlqArn };
}

async function arnOf(sqs: SQSClient, queueUrl: string): Promise<string> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  return Attributes?.QueueArn ?? '';
}

/**
 * Receives until `count` messages arrived or `timeoutMs` passed (polling at least once, without
 * waiting when `timeoutMs` is 0); leaves them in flight.
 */
async function receiveMessages(
  sqs: SQSClient,
  queueUrl: string,
  count: number,
  timeoutMs = 10_000,
): Promise<Message[]> {
  const messages: Message[] = [];
  const deadline = Date.now() + timeoutMs;
  do {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: timeoutMs === 0 ? 0 : 1,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    messages.push(...Messages);
  } while (messages.length < count && Date.now() < deadline);
  return messages;
}

export type { QueuePair };
export { arnOf, createQueuePair, receiveMessages };
