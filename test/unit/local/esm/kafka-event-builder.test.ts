import { describe, expect, it } from 'vitest';
import { KafkaEventSchema, KafkaRecordSchema } from '#shared/pipeline/kafka-event.ts';
import { toKafkaEvent, toLambdaRecord } from '../../../../local/esm/kafka-event-builder.ts';

const fetched = {
  topic: 'orders',
  partition: 3,
  offset: 42n,
  timestamp: 1_764_007_200_000n,
  key: Buffer.from('customer-1'),
  value: Buffer.from('{"a":1}'),
  headers: new Map([[Buffer.from('traceparent'), Buffer.from('00-ab')]]),
};

describe('toLambdaRecord', () => {
  it('builds the record exactly as Lambda delivers it', () => {
    expect(toLambdaRecord(fetched)).toEqual({
      topic: 'orders',
      partition: 3,
      offset: 42,
      timestamp: 1_764_007_200_000,
      timestampType: 'CREATE_TIME',
      key: Buffer.from('customer-1').toString('base64'),
      value: Buffer.from('{"a":1}').toString('base64'),
      headers: [{ traceparent: [...Buffer.from('00-ab')] }],
    });
  });

  it('omits an absent key and sends a tombstone as a null value', () => {
    const record = toLambdaRecord({ ...fetched, key: undefined, value: undefined, headers: new Map() });
    expect(record).not.toHaveProperty('key');
    expect(record.value).toBeNull();
    expect(KafkaRecordSchema.parse(record)).toMatchObject({ value: null, headers: [] });
  });
});

describe('toKafkaEvent', () => {
  it('groups records by topic-partition in a self-managed Kafka event', () => {
    const event = toKafkaEvent(
      [toLambdaRecord(fetched), toLambdaRecord({ ...fetched, offset: 43n })],
      ['127.0.0.1:9092'],
    );
    expect(KafkaEventSchema.parse(event)).toEqual(event);
    expect(event.eventSource).toBe('SelfManagedKafka');
    expect(event.bootstrapServers).toBe('127.0.0.1:9092');
    expect(Object.keys(event.records)).toEqual(['orders-3']);
    expect(event.records['orders-3']).toHaveLength(2);
  });
});

describe('recordPayloadBytes', () => {
  it('never underestimates the JSON a record adds to the invoke payload', async () => {
    const { recordPayloadBytes } = await import('../../../../local/esm/kafka-event-builder.ts');
    for (const size of [0, 1, 100, 1_000, 100_000]) {
      const record = {
        ...fetched,
        key: Buffer.alloc(size % 97, 7),
        value: Buffer.alloc(size, 200),
        headers: new Map([[Buffer.from('h'), Buffer.alloc(size % 50, 255)]]),
      };
      expect(recordPayloadBytes(record)).toBeGreaterThanOrEqual(
        Buffer.byteLength(JSON.stringify(toLambdaRecord(record))),
      );
    }
  });
});
