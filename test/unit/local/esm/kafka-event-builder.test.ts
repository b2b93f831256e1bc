import { describe, expect, it } from 'vitest';
import { parseDeploymentSettings } from '#shared/config/deployment-settings.ts';
import { coordinatesOf } from '#shared/pipeline/decode.ts';
import { KafkaEventSchema, kafkaRecordSchema } from '#shared/pipeline/kafka-event.ts';
import {
  type FetchedRecord,
  kafkaEventSourceOf,
  recordPayloadBytes,
  toKafkaEvent,
  toLambdaRecord,
} from '../../../../local/esm/kafka-event-builder.ts';

const CLUSTER_ARN =
  'arn:aws:kafka:eu-west-1:111111111111:cluster/orders/6f1c5e8a-1d2b-4c3d-9e8f-0a1b2c3d4e5f-2';
const MSK = { eventSource: 'aws:kafka', eventSourceArn: CLUSTER_ARN } as const;
const SELF_MANAGED = { eventSource: 'SelfManagedKafka' } as const;

const fetched: FetchedRecord = {
  topic: 'orders',
  partition: 3,
  offset: 42n,
  timestamp: 1_764_007_200_000n,
  timestampType: 'CREATE_TIME',
  key: Buffer.from('customer-1'),
  value: Buffer.from('{"a":1}'),
  headers: new Map([[Buffer.from('traceparent'), Buffer.from('00-ab')]]),
};

/** A record with a header that has no value, as `kcat -H x-flag` produces it. */
const withValuelessHeader: FetchedRecord = {
  ...fetched,
  headers: new Map([
    [Buffer.from('x-flag'), undefined],
    [Buffer.from('city'), Buffer.from('Zürich')],
  ]),
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

  it('sends header bytes signed, as Java bytes: "Zürich" and binary values', () => {
    // Prepare: UTF-8 "ü" is 0xc3 0xbc; the binary header covers both ends of the signed range
    const record = {
      ...fetched,
      headers: new Map([
        [Buffer.from('city'), Buffer.from('Zürich')],
        [Buffer.from('bin'), Buffer.from([0x00, 0x7f, 0x80, 0xff])],
      ]),
    };

    // Act
    const { headers } = toLambdaRecord(record);

    // Assess
    expect(headers).toEqual([{ city: [90, -61, -68, 114, 105, 99, 104] }, { bin: [0, 127, -128, -1] }]);
    expect(coordinatesOf(kafkaRecordSchema().parse(toLambdaRecord(record))).headers).toEqual({
      city: 'Zürich',
      bin: `base64:${Buffer.from([0x00, 0x7f, 0x80, 0xff]).toString('base64')}`,
    });
  });

  it('sends a header without a value as an empty byte array, which the handler reads as ""', () => {
    // Act
    const record = toLambdaRecord(withValuelessHeader);

    // Assess
    expect(record.headers).toEqual([{ 'x-flag': [] }, { city: [90, -61, -68, 114, 105, 99, 104] }]);
    expect(coordinatesOf(kafkaRecordSchema().parse(record)).headers).toEqual({
      'x-flag': '',
      city: 'Zürich',
    });
  });

  it('carries the batch timestamp type (LOG_APPEND_TIME on a LogAppendTime topic)', () => {
    const record = toLambdaRecord({
      ...fetched,
      timestamp: 1_764_007_201_234n,
      timestampType: 'LOG_APPEND_TIME',
    });
    expect(record).toMatchObject({ timestamp: 1_764_007_201_234, timestampType: 'LOG_APPEND_TIME' });
  });

  it('omits an absent key and sends a tombstone as a null value', () => {
    const record = toLambdaRecord({ ...fetched, key: undefined, value: undefined, headers: new Map() });
    expect(record).not.toHaveProperty('key');
    expect(record.value).toBeNull();
    expect(kafkaRecordSchema().parse(record)).toMatchObject({ value: null, headers: [] });
  });

  it('keeps an empty key as an empty base64 string, distinct from no key', () => {
    const record = toLambdaRecord({ ...fetched, key: Buffer.alloc(0) });
    expect(record.key).toBe('');
  });
});

describe('toKafkaEvent', () => {
  it('groups records by topic-partition in a self-managed Kafka event, without an ARN', () => {
    const event = toKafkaEvent(
      [toLambdaRecord(fetched), toLambdaRecord({ ...fetched, offset: 43n })],
      ['127.0.0.1:9092'],
      SELF_MANAGED,
    );
    expect(KafkaEventSchema.parse(event)).toEqual(event);
    expect(event.eventSource).toBe('SelfManagedKafka');
    expect(event).not.toHaveProperty('eventSourceArn');
    expect(event.bootstrapServers).toBe('127.0.0.1:9092');
    expect(Object.keys(event.records)).toEqual(['orders-3']);
    expect(event.records['orders-3']).toHaveLength(2);
  });

  it('names MSK as aws:kafka with the cluster ARN', () => {
    const event = toKafkaEvent([toLambdaRecord(fetched)], ['127.0.0.1:9092'], MSK);
    expect(event).toMatchObject({
      eventSource: 'aws:kafka',
      eventSourceArn: CLUSTER_ARN,
      bootstrapServers: '127.0.0.1:9092',
    });
  });
});

describe('kafkaEventSourceOf', () => {
  it.each([
    {
      source: { kind: 'msk', clusterArn: CLUSTER_ARN, auth: 'iam' },
      expected: MSK,
    },
    {
      source: { kind: 'self-managed', bootstrapServers: ['b-1:9092'], auth: 'none', vpc: undefined },
      expected: SELF_MANAGED,
    },
  ])('follows the deployment settings: $expected.eventSource', ({ source, expected }) => {
    // Prepare: self-managed without SASL needs a VPC to pass the settings' own rules
    const vpc = {
      vpcId: 'vpc-0a1b2c3d4e5f60718',
      subnetIds: ['subnet-0a1b2c3d4e5f60718'],
      availabilityZones: ['eu-west-1a'],
      securityGroupId: 'sg-0a1b2c3d4e5f60718',
    };
    const settings = parseDeploymentSettings({
      source: source.kind === 'self-managed' ? { ...source, vpc } : source,
      topic: 'orders',
      consumerGroupId: 'eventpipe-orders',
    });

    // Act / Assess
    expect(kafkaEventSourceOf(settings.source)).toEqual(expected);
  });
});

describe('recordPayloadBytes', () => {
  it('never underestimates the JSON a record adds to the invoke payload', () => {
    for (const size of [0, 1, 100, 1_000, 100_000])
      for (const headerByte of [0x00, 0x7f, 0x80, 0xff]) {
        const record = {
          ...fetched,
          key: Buffer.alloc(size % 97, 7),
          value: Buffer.alloc(size, 200),
          headers: new Map([[Buffer.from('h'), Buffer.alloc(size % 50, headerByte)]]),
        };
        expect(recordPayloadBytes(record)).toBeGreaterThanOrEqual(
          Buffer.byteLength(JSON.stringify(toLambdaRecord(record))),
        );
      }
  });

  it('sizes a record with a header without a value and a tombstone', () => {
    const tombstone = { ...withValuelessHeader, value: undefined };
    expect(recordPayloadBytes(tombstone)).toBeGreaterThanOrEqual(
      Buffer.byteLength(JSON.stringify(toLambdaRecord(tombstone))),
    );
  });
});
