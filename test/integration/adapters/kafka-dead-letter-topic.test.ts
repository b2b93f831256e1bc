import { afterAll, describe, expect, it } from 'vitest';
import type { KafkaEvent } from '#shared/pipeline/kafka-event.ts';
import { loadEvent } from '../../fixtures/load-event.ts';
import { endpoints, localKafkaAdmin, localSqsClient, uniqueName } from '../../helpers/local-stack.ts';
import { contextWithBudget, pipelineRuntime } from '../../helpers/pipeline-runtime.ts';
import { createQueuePair, receiveMessages } from '../../helpers/queues.ts';
import { readTopic } from '../../helpers/read-topic.ts';
import { scriptedRegistry } from '../../helpers/scripted-registry.ts';

const sqs = localSqsClient();
afterAll(() => sqs.destroy());

/** A consumer dead-lettering to a fresh topic (e-205 fails permanently), with the given settings. */
async function consumerWithDlqTopic(env: Record<string, string>) {
  const topic = uniqueName('orders-dlq');
  const admin = localKafkaAdmin();
  await admin.createTopics({ topics: [topic], partitions: 1, replicas: 1 });
  await admin.close();
  const queues = await createQueuePair(sqs);
  const { registry, behaviour } = scriptedRegistry();
  behaviour.set('e-205', 'permanent');
  const { consumer } = pipelineRuntime(queues, registry, { EVENTPIPE_DLQ_TOPIC: topic, ...env });
  return { topic, queues, consumer };
}

describe('Kafka DLQ topic (target "both")', () => {
  it('produces each dead letter with its original key and the coordinates and failure as headers', async () => {
    // Prepare
    const { topic, queues, consumer } = await consumerWithDlqTopic({
      EVENTPIPE_DLQ_TARGET: 'both',
      EVENTPIPE_KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
    });
    // Act
    await consumer(loadEvent<KafkaEvent>('msk', 'mixed-batch'), contextWithBudget(30_000));
    // Assess: the same 8 dead letters in SQS and in Kafka
    expect(await receiveMessages(sqs, queues.dlqUrl, 8, 5_000)).toHaveLength(8);
    const received = await readTopic(topic, 8);

    const byOffset = new Map(received.map((m) => [m.headers['eventpipe-original-offset'], m]));
    expect([...byOffset.keys()].sort()).toEqual(['102', '103', '104', '105', '202', '203', '204', '205']);
    expect(byOffset.get('104')?.key).toBe('customer-3');
    expect(byOffset.get('205')?.headers).toEqual({
      'eventpipe-original-topic': 'orders',
      'eventpipe-original-partition': '1',
      'eventpipe-original-offset': '205',
      'eventpipe-original-timestamp': '1764007200205',
      'eventpipe-stage': 'process',
      'eventpipe-error-name': 'PermanentError',
      'eventpipe-error-message': 'downstream rejected e-205',
      'eventpipe-attempts': '1',
      'eventpipe-event-type': 'payment.captured',
    });
    expect(JSON.parse(byOffset.get('205')?.value ?? '{}')).toMatchObject({
      kind: 'eventpipe.dead-letter/v1',
      event: { id: 'e-205' },
    });
  });

  it("uses the brokers of the consumer's event when the configuration names none", async () => {
    // Prepare: no EVENTPIPE_KAFKA_BROKERS; the event's bootstrapServers are the local broker
    const { topic, consumer } = await consumerWithDlqTopic({ EVENTPIPE_DLQ_TARGET: 'kafka' });
    const event = {
      ...loadEvent<KafkaEvent>('msk', 'mixed-batch'),
      bootstrapServers: endpoints.kafkaBrokers.join(','),
    };
    // Act
    await consumer(event, contextWithBudget(30_000));
    // Assess: the 8 dead letters reached the topic through the event's brokers
    const offsets = (await readTopic(topic, 8)).map((m) => m.headers['eventpipe-original-offset']);
    expect(offsets.sort()).toEqual(['102', '103', '104', '105', '202', '203', '204', '205']);
  });
});
