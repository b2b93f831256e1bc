import {
  ChangeMessageVisibilityCommand,
  ListMessageMoveTasksCommand,
  type Message,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { afterAll, describe, expect, it } from 'vitest';
import { DeadLetterSchema } from '#shared/pipeline/messages.ts';
import { deleteSucceeded } from '../../../local/esm/sqs-batch-response.ts';
import { toSqsEvent } from '../../../local/esm/sqs-event.ts';
import { kafkaEvent, kafkaRecord, orderPlaced } from '../../fixtures/factories.ts';
import { endpoints, localSqsClient } from '../../helpers/local-stack.ts';
import { contextWithBudget, pipelineRuntime } from '../../helpers/pipeline-runtime.ts';
import { createQueuePair, type QueuePair, receiveMessages } from '../../helpers/queues.ts';
import { scriptedRegistry } from '../../helpers/scripted-registry.ts';

const sqs = localSqsClient();
afterAll(() => sqs.destroy());

type Runtime = ReturnType<typeof pipelineRuntime>;

/** One poll of the retry queue handed to the worker, then settled as Lambda's SQS ESM would. */
async function runWorkerOnce(runtime: Runtime, queues: QueuePair, timeoutMs: number) {
  const messages: Message[] = await receiveMessages(sqs, queues.retryQueueUrl, 1, timeoutMs);
  expect(messages).toHaveLength(1);
  const response = await runtime.worker(
    toSqsEvent(messages, queues.retryQueueArn, endpoints.region),
    contextWithBudget(30_000),
  );
  await deleteSucceeded(sqs, queues.retryQueueUrl, messages, response);
  return { message: messages[0], response };
}

async function redriveDlq(queues: QueuePair): Promise<void> {
  await sqs.send(
    new StartMessageMoveTaskCommand({ SourceArn: queues.dlqArn, DestinationArn: queues.retryQueueArn }),
  );
  for (let i = 0; i < 100; i++) {
    const { Results = [] } = await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: queues.dlqArn }));
    if (Results[0]?.Status === 'COMPLETED') return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('message move task did not complete');
}

describe('retry worker against ElasticMQ', () => {
  it('backs off through the visibility timeout, dead-letters at maxAttempts, and retries a redrive afresh', async () => {
    // Prepare: a queue whose own visibility (30 s) is far above the backoff, so an early
    // reappearance can only come from ChangeMessageVisibility.
    const queues = await createQueuePair(sqs, 30);
    const { registry, behaviour } = scriptedRegistry();
    behaviour.set('*', 'transient');
    // base 2 s, jitter 0.99: attempt 2 → floor(0.99 × 4) = 3 s
    const runtime = pipelineRuntime(
      queues,
      registry,
      { EVENTPIPE_MAX_ATTEMPTS: '3', EVENTPIPE_BACKOFF_BASE_SECONDS: '2' },
      () => 0.99,
    );
    await runtime.consumer(
      kafkaEvent([kafkaRecord({ offset: 9, key: 'customer-1', value: orderPlaced('r-1') })]),
      contextWithBudget(30_000),
    );

    // Act 1: attempt 2 fails; the message is reported and hidden for the backoff (3 s)
    const first = await runWorkerOnce(runtime, queues, 5_000);
    const reportedAt = Date.now();
    expect(first.response.batchItemFailures).toEqual([{ itemIdentifier: first.message?.MessageId }]);
    expect(await receiveMessages(sqs, queues.retryQueueUrl, 1, 1_500)).toHaveLength(0);

    // Act 2: it reappears after ≈3 s (not 30 s) for attempt 3, the last: dead-lettered, acknowledged
    const second = await runWorkerOnce(runtime, queues, 6_000);
    const hiddenForMs = Date.now() - reportedAt;
    expect(hiddenForMs).toBeGreaterThanOrEqual(2_500);
    expect(hiddenForMs).toBeLessThan(10_000);
    expect(second.message?.Attributes?.ApproximateReceiveCount).toBe('2');
    expect(second.response.batchItemFailures).toEqual([]);
    const [dead] = await receiveMessages(sqs, queues.dlqUrl, 1, 3_000);
    const letter = DeadLetterSchema.parse(JSON.parse(dead?.Body ?? ''));
    expect(letter).toMatchObject({
      event: { id: 'r-1' },
      source: { topic: 'orders', offset: 9, key: 'customer-1' },
      failure: { stage: 'process', errorName: 'TransientError', attempts: 3, redriveCount: 0 },
    });
    expect(dead?.MessageAttributes?.errorName?.StringValue).toBe('TransientError');
    expect(await receiveMessages(sqs, queues.retryQueueUrl, 1, 0)).toHaveLength(0);

    // Act 3: redrive (DLQ → retry queue); the first attempt after it is attempt 1 of a fresh budget.
    // The test received the dead letter to inspect it: make it visible again, as an operator's peek would.
    await sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: queues.dlqUrl,
        ReceiptHandle: dead?.ReceiptHandle,
        VisibilityTimeout: 0,
      }),
    );
    await redriveDlq(queues);
    const redriven = await runWorkerOnce(runtime, queues, 5_000);
    expect(JSON.parse(redriven.message?.Body ?? '').kind).toBe('eventpipe.dead-letter/v1');
    expect(redriven.response.batchItemFailures).toHaveLength(1);

    // Act 4: the downstream recovers; the redriven event is processed and leaves every queue
    behaviour.set('*', 'ok');
    const recovered = await runWorkerOnce(runtime, queues, 10_000);
    expect(recovered.response.batchItemFailures).toEqual([]);
    expect(await receiveMessages(sqs, queues.retryQueueUrl, 1, 1_500)).toHaveLength(0);
    expect(await receiveMessages(sqs, queues.dlqUrl, 1, 0)).toHaveLength(0);
  });
});
