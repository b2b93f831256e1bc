import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import {
  Consumer,
  MessagesStreamModes,
  Producer,
  stringDeserializers,
  stringSerializers,
} from '@platformatic/kafka';
import { afterAll, describe, expect, it } from 'vitest';
import { endpoints, localKafkaAdmin, localSqsClient, uniqueName } from '../../helpers/local-stack.ts';

const sqs = localSqsClient();
afterAll(() => sqs.destroy());

async function queueArn(queueUrl: string): Promise<string> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  return Attributes?.QueueArn ?? '';
}

async function receiveOne(queueUrl: string, waitSeconds = 0, visibility?: number) {
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      WaitTimeSeconds: waitSeconds,
      VisibilityTimeout: visibility,
      MaxNumberOfMessages: 1,
    }),
  );
  return Messages[0];
}

describe('local Kafka broker', () => {
  it('keeps keyed records in one partition each and resumes a group from its manual commits', async () => {
    // Prepare
    const topic = uniqueName('smoke');
    const groupId = uniqueName('smoke-group');
    const admin = localKafkaAdmin();
    await admin.createTopics({ topics: [topic], partitions: 3, replicas: 1 });
    await admin.close();
    const producer = new Producer({
      clientId: 'smoke-producer',
      bootstrapBrokers: endpoints.kafkaBrokers,
      serializers: stringSerializers,
    });
    const keys = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot'];
    const sent = Array.from({ length: 60 }, (_, i) => ({
      topic,
      key: keys[i % keys.length],
      value: `v${i}`,
    }));
    await producer.send({ messages: sent });
    await producer.close();

    // Act: consume everything with manual commits
    const consumer = new Consumer({
      groupId,
      clientId: 'smoke-consumer',
      bootstrapBrokers: endpoints.kafkaBrokers,
      deserializers: stringDeserializers,
    });
    const stream = await consumer.consume({
      topics: [topic],
      autocommit: false,
      mode: MessagesStreamModes.COMMITTED,
      fallbackMode: 'earliest',
    });
    // At-least-once: a rebalance right after the broker starts may redeliver uncommitted records,
    // so read until every value has been seen rather than until 60 records arrived.
    const received: { key: string; value: string; partition: number; offset: bigint }[] = [];
    const distinct = new Set<string>();
    for await (const message of stream) {
      received.push({
        key: message.key,
        value: message.value,
        partition: message.partition,
        offset: message.offset,
      });
      distinct.add(message.value);
      await message.commit();
      if (distinct.size === sent.length) break;
    }
    await stream.close();
    const committed = await consumer.listCommittedOffsets({ topics: [{ topic, partitions: [0, 1, 2] }] });
    await consumer.close();

    // Assess
    expect([...distinct].sort()).toEqual(sent.map((s) => s.value).sort());
    const partitionsOfKey = new Map<string, Set<number>>();
    for (const r of received)
      partitionsOfKey.set(r.key, (partitionsOfKey.get(r.key) ?? new Set()).add(r.partition));
    for (const partitions of partitionsOfKey.values()) expect(partitions.size).toBe(1);
    expect(new Set(received.map((r) => r.partition)).size).toBeGreaterThan(1);
    const perPartition = new Map<number, number>();
    for (const r of received)
      perPartition.set(r.partition, Math.max(perPartition.get(r.partition) ?? 0, Number(r.offset) + 1));
    const committedOffsets = committed.get(topic) ?? [];
    for (const [partition, count] of perPartition) expect(committedOffsets[partition]).toBe(BigInt(count));
  });
});

describe('local SQS server', () => {
  it('delays, dead-letters past maxReceiveCount, and moves messages back with StartMessageMoveTask', async () => {
    // Prepare
    const dlq = await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('smoke-dlq') }));
    const dlqUrl = dlq.QueueUrl ?? '';
    const dlqArn = await queueArn(dlqUrl);
    const source = await sqs.send(
      new CreateQueueCommand({
        QueueName: uniqueName('smoke-src'),
        Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 2 }) },
      }),
    );
    const sourceUrl = source.QueueUrl ?? '';
    const sourceArn = await queueArn(sourceUrl);

    // Act + Assess: a delayed message is invisible until its delay passes
    const sentAt = Date.now();
    await sqs.send(new SendMessageCommand({ QueueUrl: sourceUrl, MessageBody: 'delayed', DelaySeconds: 2 }));
    expect(await receiveOne(sourceUrl)).toBeUndefined();
    const first = await receiveOne(sourceUrl, 5, 0);
    expect(first?.Body).toBe('delayed');
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(1_900);

    // Received twice (visibility 0 makes it visible again at once); the third receive moves it.
    expect((await receiveOne(sourceUrl, 1, 0))?.Body).toBe('delayed');
    expect(await receiveOne(sourceUrl, 1, 0)).toBeUndefined();
    const deadLettered = await receiveOne(dlqUrl, 2, 0);
    expect(deadLettered?.Body).toBe('delayed');

    // Redrive the DLQ into the source queue.
    const task = await sqs.send(
      new StartMessageMoveTaskCommand({ SourceArn: dlqArn, DestinationArn: sourceArn }),
    );
    expect(task.TaskHandle).toBeTruthy();
    let status = 'RUNNING';
    for (let i = 0; i < 50 && status === 'RUNNING'; i++) {
      const { Results = [] } = await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlqArn }));
      status = Results[0]?.Status ?? 'UNKNOWN';
      if (status === 'RUNNING') await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toBe('COMPLETED');
    expect((await receiveOne(sourceUrl, 5))?.Body).toBe('delayed');
    expect(await receiveOne(dlqUrl)).toBeUndefined();

    await sqs.send(new DeleteQueueCommand({ QueueUrl: sourceUrl }));
    await sqs.send(new DeleteQueueCommand({ QueueUrl: dlqUrl }));
  });
});
