import { createServer, type Server } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { kafkaEventProducer } from '#shared/adapters/kafka-event-producer.ts';
import { endpoints, localKafkaAdmin, uniqueName } from '../../helpers/local-stack.ts';
import { readTopic } from '../../helpers/read-topic.ts';

describe('kafkaEventProducer', () => {
  const closers: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const close of closers) await close();
  });

  /** A fresh topic on the local broker and a producer to it (closed after the tests). */
  async function producerToNewTopic(prefix: string, partitions: number) {
    const topic = uniqueName(prefix);
    const admin = localKafkaAdmin();
    await admin.createTopics({ topics: [topic], partitions, replicas: 1 });
    await admin.close();
    const producer = kafkaEventProducer({
      brokers: async () => endpoints.kafkaBrokers,
      connection: async () => ({}),
      topic,
    });
    closers.push(() => producer.close());
    return { topic, producer };
  }

  it('produces each record with its key, value and headers, acknowledged by the local broker', async () => {
    // Prepare
    const { topic, producer } = await producerToNewTopic('ingest', 2);
    const value = JSON.stringify({
      specversion: '1.0',
      id: 'e-1',
      type: 'order.placed',
      source: '/t',
      data: {},
    });
    // Act
    await producer.send([
      { key: 'customer-7', value: Buffer.from(value), headers: { ce_id: 'e-1', ce_type: 'order.placed' } },
      { key: 'e-2', value: Buffer.from('{"id":"e-2"}'), headers: { ce_id: 'e-2' } },
    ]);
    // Assess
    const received = await readTopic(topic, 2);
    const byKey = new Map(received.map((message) => [message.key, message]));
    expect(byKey.get('customer-7')).toEqual({
      key: 'customer-7',
      value,
      headers: { ce_id: 'e-1', ce_type: 'order.placed' },
    });
    expect(byKey.get('e-2')?.headers).toEqual({ ce_id: 'e-2' });
  });

  it('lands a batch larger than the broker takes in one request (message.max.bytes), split in order', async () => {
    // Prepare: one partition, one key, 3 × 400 KB: 1.2 MB, over the broker's 1 MiB default
    const { topic, producer } = await producerToNewTopic('ingest-large', 1);
    const value = Buffer.alloc(400_000, 'x');
    // Act
    await producer.send(
      ['e-1', 'e-2', 'e-3'].map((id) => ({ key: 'customer-1', value, headers: { ce_id: id } })),
    );
    // Assess
    const received = await readTopic(topic, 3);
    expect(received.map((message) => message.headers.ce_id)).toEqual(['e-1', 'e-2', 'e-3']);
  });

  it('rejects when nothing listens on the broker port, without hanging', async () => {
    // Prepare: a port that was just free, now closed
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const producer = kafkaEventProducer({
      brokers: async () => [`127.0.0.1:${port}`],
      connection: async () => ({}),
      topic: 'orders',
      requestTimeoutMs: 1_000,
    });
    closers.push(() => producer.close());
    // Act / Assess
    await expect(producer.send([{ key: 'k', value: Buffer.from('{}'), headers: {} }])).rejects.toThrow();
  }, 20_000);
});
