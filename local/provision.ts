import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  QueueNameExists,
  SetQueueAttributesCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Admin } from '@platformatic/kafka';
import { type DeploymentSettings, retryQueueVisibility } from '#shared/config/deployment-settings.ts';
import { DLQ_RETENTION_SECONDS, maxReceiveCount } from '#shared/config/queue-defaults.ts';

interface LocalQueues {
  readonly retryQueueUrl: string;
  readonly retryQueueArn: string;
  readonly dlqUrl: string;
  readonly dlqArn: string;
}

/**
 * Creates the topic if it does not exist (idempotent; an existing topic keeps its partitions).
 *
 * @example
 * ```ts
 * await ensureTopic(admin, 'orders', 6);
 * ```
 */
async function ensureTopic(admin: Admin, topic: string, partitions: number): Promise<void> {
  const existing = await admin.listTopics();
  if (existing.includes(topic)) return;
  try {
    await admin.createTopics({ topics: [topic], partitions, replicas: 1 });
  } catch (error) {
    // Another process created it between the two calls.
    if (!(await admin.listTopics()).includes(topic)) throw error;
  }
}

/**
 * Creates (or brings into line) the retry queue and the DLQ with the stack's attributes: the DLQ
 * as the retry queue's redrive target, maxReceiveCount a little above maxAttempts, the retry
 * queue's visibility 6 × the worker timeout.
 */
async function ensureQueues(
  sqs: SQSClient,
  names: { retry: string; dlq: string },
  settings: DeploymentSettings,
): Promise<LocalQueues> {
  const dlqUrl = await ensureQueue(sqs, names.dlq, { MessageRetentionPeriod: String(DLQ_RETENTION_SECONDS) });
  const dlqArn = await queueArn(sqs, dlqUrl);
  const retryQueueUrl = await ensureQueue(sqs, names.retry, {
    VisibilityTimeout: String(retryQueueVisibility(settings)),
    RedrivePolicy: JSON.stringify({
      deadLetterTargetArn: dlqArn,
      maxReceiveCount: maxReceiveCount(settings.maxAttempts),
    }),
  });
  return { retryQueueUrl, retryQueueArn: await queueArn(sqs, retryQueueUrl), dlqUrl, dlqArn };
}

async function ensureQueue(
  sqs: SQSClient,
  name: string,
  attributes: Record<string, string>,
): Promise<string> {
  try {
    return (
      (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))).QueueUrl ?? ''
    );
  } catch (error) {
    if (!(error instanceof QueueNameExists)) throw error;
    const url = (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl ?? '';
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: attributes }));
    return url;
  }
}

async function queueArn(sqs: SQSClient, queueUrl: string): Promise<string> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  return Attributes?.QueueArn ?? '';
}

export type { LocalQueues };
export { ensureQueues, ensureTopic, queueArn };
