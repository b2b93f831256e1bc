import { setTimeout as sleep } from 'node:timers/promises';
import { KafkaMskEventSchema, KafkaSelfManagedEventSchema } from '@aws-lambda-powertools/parser/schemas';
import { afterAll, describe, expect, it } from 'vitest';
import type { KafkaEvent, KafkaRecord } from '#shared/pipeline/kafka-event.ts';
import { KafkaEsm } from '../../../../local/esm/kafka-esm.ts';
import type { KafkaEventSource } from '../../../../local/esm/kafka-event-builder.ts';
import { MSK_SOURCE, SELF_MANAGED_SOURCE } from '../../../fixtures/kafka-event-sources.ts';
import { endpoints, localKafkaAdmin, produceMessages, uniqueName } from '../../../helpers/local-stack.ts';

/** A create time far in the past, so that a broker's append time cannot be mistaken for it. */
const PRODUCER_TIMESTAMP = 1_600_000_000_000n;
const RECORDS = 5;
const WAIT_MS = 20_000;

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** A one-partition topic of this test's own, with the given `message.timestamp.type`. */
async function createTopic(timestampType: 'CreateTime' | 'LogAppendTime'): Promise<string> {
  const topic = uniqueName(`esm-shape-${timestampType.toLowerCase()}`);
  const admin = localKafkaAdmin();
  try {
    await admin.createTopics({
      topics: [topic],
      partitions: 1,
      replicas: 1,
      configs: [{ name: 'message.timestamp.type', value: timestampType }],
    });
  } finally {
    await admin.close();
  }
  cleanups.push(async () => {
    const cleanupAdmin = localKafkaAdmin();
    await cleanupAdmin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await cleanupAdmin.close();
  });
  return topic;
}

function produce(topic: string): Promise<void> {
  return produceMessages(
    Array.from({ length: RECORDS }, (_, i) => ({
      topic,
      key: Buffer.from(`k-${i}`),
      value: Buffer.from(JSON.stringify({ n: i })),
      headers: new Map([[Buffer.from('trace'), Buffer.from(`t-${i}`)]]),
      timestamp: PRODUCER_TIMESTAMP + BigInt(i),
    })),
  );
}

/** Runs the real emulator on `topic` until it has invoked the handler with every record. */
async function eventsFor(topic: string, eventSource: KafkaEventSource): Promise<KafkaEvent[]> {
  const events: KafkaEvent[] = [];
  const esm = new KafkaEsm({
    brokers: endpoints.kafkaBrokers,
    eventSource,
    topic,
    groupId: topic,
    startingPosition: 'TRIM_HORIZON',
    batchSize: 100,
    maxBatchingWindowMs: 100,
    reservedConcurrency: 1,
    functionTimeoutMs: 10_000,
    handler: async (event) => {
      events.push(structuredClone(event) as KafkaEvent);
    },
  });
  await esm.start();
  try {
    const deadline = Date.now() + WAIT_MS;
    while (recordsOf(events).length < RECORDS && Date.now() < deadline) await sleep(100);
  } finally {
    await esm.stop(5_000);
  }
  return events;
}

function recordsOf(events: readonly KafkaEvent[]): KafkaRecord[] {
  return events.flatMap((event) => Object.values(event.records).flat() as KafkaRecord[]);
}

describe('KafkaEsm event shape (real broker)', () => {
  it('reports a LogAppendTime topic as LOG_APPEND_TIME with the broker append time, as Java clients do', async () => {
    // Prepare
    const topic = await createTopic('LogAppendTime');
    const before = Date.now();
    await produce(topic);
    const after = Date.now();

    // Act
    const records = recordsOf(await eventsFor(topic, SELF_MANAGED_SOURCE));

    // Assess: the broker's clock, not the producer's 2020 timestamps
    expect(records).toHaveLength(RECORDS);
    for (const record of records) {
      expect(record.timestampType).toBe('LOG_APPEND_TIME');
      expect(record.timestamp).toBeGreaterThanOrEqual(before - 1_000);
      expect(record.timestamp).toBeLessThanOrEqual(after + 1_000);
    }
  });

  it('reports a CreateTime topic as CREATE_TIME with the producer timestamp', async () => {
    const topic = await createTopic('CreateTime');
    await produce(topic);

    const records = recordsOf(await eventsFor(topic, SELF_MANAGED_SOURCE));

    expect(records.map((r) => [r.timestampType, r.timestamp])).toEqual(
      Array.from({ length: RECORDS }, (_, i) => ['CREATE_TIME', Number(PRODUCER_TIMESTAMP) + i]),
    );
  });

  // Powertools' record schema decodes every value as a string, so these records are non-tombstones
  // with ASCII headers: its header transform (String.fromCodePoint) throws on negative bytes, which
  // AWS itself sends for any byte ≥ 0x80 (see test/unit/local/esm/published-event-shape.test.ts).
  it.each([
    {
      name: 'MSK',
      eventSource: MSK_SOURCE,
      schema: KafkaMskEventSchema,
    },
    {
      name: 'self-managed',
      eventSource: SELF_MANAGED_SOURCE,
      schema: KafkaSelfManagedEventSchema,
    },
  ])('delivers $name events that Powertools parser schema accepts', async ({ eventSource, schema }) => {
    const topic = await createTopic('CreateTime');
    await produce(topic);

    const events = await eventsFor(topic, eventSource);

    expect(recordsOf(events)).toHaveLength(RECORDS);
    for (const event of events) {
      const parsed = schema.safeParse(event);
      expect(parsed.error?.issues).toBeUndefined();
      expect(event).toMatchObject(eventSource);
    }
    if (eventSource.eventSource === 'SelfManagedKafka')
      for (const event of events) expect(event).not.toHaveProperty('eventSourceArn');
  });
});
