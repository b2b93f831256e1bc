import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import type { KafkaEvent } from '#shared/pipeline/kafka-event.ts';
import { DeadLetterSchema, RetryMessageSchema } from '#shared/pipeline/messages.ts';
import { loadEvent } from '../../fixtures/load-event.ts';
import { localSqsClient } from '../../helpers/local-stack.ts';
import { contextWithBudget, pipelineRuntime } from '../../helpers/pipeline-runtime.ts';
import { createQueuePair, receiveMessages } from '../../helpers/queues.ts';
import { scriptedRegistry } from '../../helpers/scripted-registry.ts';

const sqs = localSqsClient();
afterAll(() => sqs.destroy());

/** A loopback port with nothing listening: SQS "down". */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function scripted() {
  const script = scriptedRegistry();
  script.behaviour.set('e-201', 'transient');
  script.behaviour.set('e-205', 'permanent');
  return script;
}

describe('Kafka consumer handler against ElasticMQ', () => {
  it('writes one retry message (delayed) and a dead letter per poison or rejected record', async () => {
    // Prepare
    const queues = await createQueuePair(sqs);
    const { registry } = scripted();
    const { consumer } = pipelineRuntime(
      queues,
      registry,
      { EVENTPIPE_BACKOFF_BASE_SECONDS: '2' },
      () => 0.99,
    );
    // Act
    await consumer(loadEvent<KafkaEvent>('msk', 'mixed-batch'), contextWithBudget(30_000));
    // Assess: the retry message is delayed (DelaySeconds 1), then arrives with its attributes
    expect(await receiveMessages(sqs, queues.retryQueueUrl, 1, 0)).toHaveLength(0);
    const [retry] = await receiveMessages(sqs, queues.retryQueueUrl, 1, 5_000);
    const retryBody = RetryMessageSchema.parse(JSON.parse(retry?.Body ?? ''));
    expect(retryBody).toMatchObject({
      event: { id: 'e-201' },
      attempts: 1,
      source: { partition: 1, offset: 201 },
    });
    expect(retry?.MessageAttributes?.eventType?.StringValue).toBe('order.placed');
    expect(retry?.MessageAttributes?.topic?.StringValue).toBe('orders');

    const letters = await receiveMessages(sqs, queues.dlqUrl, 8, 5_000);
    const byOffset = Object.fromEntries(
      letters.map((m) => {
        const letter = DeadLetterSchema.parse(JSON.parse(m.Body ?? ''));
        const attributes = m.MessageAttributes ?? {};
        return [
          letter.source.offset,
          `${attributes.stage?.StringValue}/${attributes.errorName?.StringValue}/${attributes.eventType?.StringValue}/${attributes.topic?.StringValue}`,
        ];
      }),
    );
    expect(byOffset).toEqual({
      102: 'decode/DecodeError/unknown/orders',
      103: 'decode/DecodeError/unknown/orders',
      104: 'decode/DecodeError/unknown/orders',
      105: 'decode/DecodeError/unknown/orders',
      202: 'validate/ValidationError/unknown/orders',
      203: 'validate/ValidationError/unknown/orders',
      204: 'validate/ValidationError/unknown/orders',
      205: 'process/PermanentError/payment.captured/orders',
    });
  });

  it('throws when SQS is unreachable, writes nothing, and a redelivery settles everything', async () => {
    // Prepare
    const queues = await createQueuePair(sqs);
    const { registry, calls } = scripted();
    const down = pipelineRuntime(queues, registry, {
      EVENTPIPE_SQS_ENDPOINT: `http://127.0.0.1:${await closedPort()}`,
    });
    const up = pipelineRuntime(queues, registry);
    const event = loadEvent<KafkaEvent>('self-managed', 'mixed-batch');
    // Act: the ESM would not commit, and redelivers the same batch
    await expect(down.consumer(event, contextWithBudget(30_000))).rejects.toThrow(
      /hand-off failed, the batch must be redelivered/,
    );
    expect(await receiveMessages(sqs, queues.retryQueueUrl, 1, 1_500)).toHaveLength(0);
    expect(await receiveMessages(sqs, queues.dlqUrl, 1, 0)).toHaveLength(0);
    await up.consumer(event, contextWithBudget(30_000));
    // Assess: every record settled after the redelivery; the valid ones were processed twice (at-least-once)
    expect(await receiveMessages(sqs, queues.retryQueueUrl, 1, 15_000)).toHaveLength(1);
    expect(await receiveMessages(sqs, queues.dlqUrl, 8, 5_000)).toHaveLength(8);
    expect(calls.filter((id) => id === 'e-100')).toHaveLength(2);
  });

  it('throws when only the DLQ fails; what reached the retry queue is duplicated by the redelivery, never lost', async () => {
    const queues = await createQueuePair(sqs);
    const { registry } = scripted();
    const broken = pipelineRuntime({ ...queues, dlqUrl: `${queues.dlqUrl}-missing` }, registry, {
      EVENTPIPE_BACKOFF_BASE_SECONDS: '1',
    });
    const fixed = pipelineRuntime(queues, registry, { EVENTPIPE_BACKOFF_BASE_SECONDS: '1' });
    const event = loadEvent<KafkaEvent>('msk', 'mixed-batch');

    await expect(broken.consumer(event, contextWithBudget(30_000))).rejects.toThrow(/SQS did not accept/);
    await fixed.consumer(event, contextWithBudget(30_000));

    const retries = await receiveMessages(sqs, queues.retryQueueUrl, 2, 5_000);
    expect(retries.map((m) => RetryMessageSchema.parse(JSON.parse(m.Body ?? '')).event.id)).toEqual([
      'e-201',
      'e-201',
    ]);
    expect(await receiveMessages(sqs, queues.dlqUrl, 8, 5_000)).toHaveLength(8);
  });
});
