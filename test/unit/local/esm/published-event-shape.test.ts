import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  KafkaMskEventSchema,
  KafkaSelfManagedEventSchema,
  SqsSchema,
} from '@aws-lambda-powertools/parser/schemas';
import type { Message } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import {
  type FetchedRecord,
  type KafkaEventSource,
  toKafkaEvent,
  toLambdaRecord,
} from '../../../../local/esm/kafka-event-builder.ts';
import { toSqsEvent } from '../../../../local/esm/sqs-event.ts';
import { MSK_SOURCE, SELF_MANAGED_SOURCE } from '../../../fixtures/kafka-event-sources.ts';

/**
 * The events our emulators build against the events AWS and Powertools publish
 * (test/fixtures/events/external/emulator-reference/README.md): the same field names with the same
 * JSON types, at event, record and header/attribute level. The compared fields are listed here, and
 * each list is first checked against the published fixture, so a list cannot drift from its source.
 */

const REFERENCE_DIR = join(import.meta.dirname, '../../../fixtures/events/external/emulator-reference');

function loadReference(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(REFERENCE_DIR, `${name}.json`), 'utf8')) as Record<string, unknown>;
}

type JsonType = 'string' | 'number' | 'boolean' | 'null' | 'array' | 'object';

function jsonType(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as JsonType;
}

/** Field name → JSON type of an object, as it is serialized (undefined fields are not sent). */
function shapeOf(value: unknown): Record<string, JsonType> {
  const json = JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(json)
      .map(([name, field]) => [name, jsonType(field)] as const)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}

function sorted(shape: Record<string, JsonType>): Record<string, JsonType> {
  return Object.fromEntries(Object.entries(shape).sort(([a], [b]) => a.localeCompare(b)));
}

function firstKafkaRecord(event: Record<string, unknown>): Record<string, unknown> {
  const [records] = Object.values(event.records as Record<string, unknown[]>);
  return (records?.[0] ?? {}) as Record<string, unknown>;
}

const KAFKA_MSK_EVENT_FIELDS = sorted({
  eventSource: 'string',
  eventSourceArn: 'string',
  bootstrapServers: 'string',
  records: 'object',
});
const KAFKA_SELF_MANAGED_EVENT_FIELDS = sorted({
  eventSource: 'string',
  bootstrapServers: 'string',
  records: 'object',
});
const KAFKA_RECORD_FIELDS = sorted({
  topic: 'string',
  partition: 'number',
  offset: 'number',
  timestamp: 'number',
  timestampType: 'string',
  key: 'string',
  value: 'string',
  headers: 'array',
});

/** A fetched record with a key, a JSON value and a header whose bytes span the signed range. */
const fetched: FetchedRecord = {
  topic: 'orders',
  partition: 0,
  offset: 15n,
  timestamp: 1_764_007_200_000n,
  timestampType: 'CREATE_TIME',
  key: Buffer.from('customer-1'),
  value: Buffer.from('{"key":"value"}'),
  headers: new Map([[Buffer.from('city'), Buffer.from('Zürich')]]),
};

function emulatorKafkaEvent(source: KafkaEventSource, record: FetchedRecord = fetched) {
  return toKafkaEvent([toLambdaRecord(record)], ['127.0.0.1:9092'], source);
}

describe.each([
  {
    reference: 'aws-lambda-go-kafka-event',
    source: MSK_SOURCE,
    eventFields: KAFKA_MSK_EVENT_FIELDS,
  },
  {
    reference: 'powertools-typescript-kafka-msk',
    source: MSK_SOURCE,
    eventFields: KAFKA_MSK_EVENT_FIELDS,
  },
  {
    reference: 'powertools-typescript-kafka-self-managed',
    source: SELF_MANAGED_SOURCE,
    eventFields: KAFKA_SELF_MANAGED_EVENT_FIELDS,
  },
])('Kafka event against $reference', ({ reference, source, eventFields }) => {
  const published = loadReference(reference);
  const emulated = emulatorKafkaEvent(source) as unknown as Record<string, unknown>;

  it('has the listed event fields, and so does the emulator event', () => {
    expect(shapeOf(published)).toEqual(eventFields);
    expect(shapeOf(emulated)).toEqual(eventFields);
    expect(emulated.eventSource).toBe(published.eventSource);
  });

  it('has the listed record fields, and so does the emulator record', () => {
    expect(shapeOf(firstKafkaRecord(published))).toEqual(KAFKA_RECORD_FIELDS);
    expect(shapeOf(firstKafkaRecord(emulated))).toEqual(KAFKA_RECORD_FIELDS);
  });

  it('keys records by "<topic>-<partition>" and sends headers as one-entry objects of byte arrays', () => {
    for (const event of [published, emulated]) {
      const [[groupKey, records] = ['', []]] = Object.entries(
        event.records as Record<string, Record<string, unknown>[]>,
      );
      const record = records?.[0] ?? {};
      expect(groupKey).toBe(`${record.topic}-${record.partition}`);
      for (const header of record.headers as Record<string, unknown>[]) {
        const entries = Object.entries(header);
        expect(entries).toHaveLength(1);
        for (const [, bytes] of entries)
          for (const byte of bytes as number[]) {
            expect(Number.isInteger(byte)).toBe(true);
            expect(byte).toBeGreaterThanOrEqual(-128);
            expect(byte).toBeLessThanOrEqual(127);
          }
      }
    }
  });
});

describe("Kafka events and Powertools' parser schemas", () => {
  // Powertools' record schema decodes `value` to a string (a tombstone's null fails it) and turns
  // header bytes into text with String.fromCodePoint, which throws on the negative bytes AWS sends
  // for any byte ≥ 0x80. So the emulator events validated here have a value and ASCII headers.
  const ascii: FetchedRecord = { ...fetched, headers: new Map([[Buffer.from('trace'), Buffer.from('t-1')]]) };

  it('accepts the emulator MSK event with KafkaMskEventSchema', () => {
    const parsed = KafkaMskEventSchema.safeParse(emulatorKafkaEvent(MSK_SOURCE, ascii));
    expect(parsed.error?.issues).toBeUndefined();
  });

  it('accepts the emulator self-managed event with KafkaSelfManagedEventSchema, and rejects it as MSK', () => {
    const event = emulatorKafkaEvent(SELF_MANAGED_SOURCE, ascii);
    expect(KafkaSelfManagedEventSchema.safeParse(event).error?.issues).toBeUndefined();
    expect(KafkaMskEventSchema.safeParse(event).success).toBe(false);
  });

  it('cannot parse signed header bytes, from AWS (aws-lambda-go fixture) or from us: an upstream limit', () => {
    // If this starts failing, Powertools has learnt signed bytes: validate "Zürich" headers above.
    expect(() => KafkaMskEventSchema.safeParse(loadReference('aws-lambda-go-kafka-event'))).toThrow(
      RangeError,
    );
    expect(() => KafkaMskEventSchema.safeParse(emulatorKafkaEvent(MSK_SOURCE))).toThrow(RangeError);
  });
});

const SQS_RECORD_FIELDS = sorted({
  messageId: 'string',
  receiptHandle: 'string',
  body: 'string',
  attributes: 'object',
  messageAttributes: 'object',
  md5OfBody: 'string',
  md5OfMessageAttributes: 'string',
  eventSource: 'string',
  eventSourceARN: 'string',
  awsRegion: 'string',
});
const { md5OfMessageAttributes: _, ...SQS_RECORD_FIELDS_WITHOUT_ATTRIBUTES } = SQS_RECORD_FIELDS;
const SQS_ATTRIBUTE_FIELDS = sorted({
  ApproximateReceiveCount: 'string',
  SentTimestamp: 'string',
  SenderId: 'string',
  ApproximateFirstReceiveTimestamp: 'string',
});
const SQS_STRING_ATTRIBUTE_FIELDS = sorted({
  stringValue: 'string',
  stringListValues: 'array',
  binaryListValues: 'array',
  dataType: 'string',
});
const SQS_BINARY_ATTRIBUTE_FIELDS = sorted({
  binaryValue: 'string',
  stringListValues: 'array',
  binaryListValues: 'array',
  dataType: 'string',
});

/** A received message as ElasticMQ returns it, with a String and a Binary message attribute. */
const received: Message = {
  MessageId: '059f36b4-87a3-44ab-83d2-661975830a7d',
  ReceiptHandle: '059f36b4-87a3-44ab-83d2-661975830a7d#2bc59c26',
  MD5OfBody: 'e4e68fb7bd0e697a0ae8f1bb342846b3',
  Body: 'Test message.',
  Attributes: {
    ApproximateReceiveCount: '1',
    SentTimestamp: '1545082649183',
    SenderId: '127.0.0.1',
    ApproximateFirstReceiveTimestamp: '1545082649185',
  },
  MD5OfMessageAttributes: '582c92c5c5b6ac403040a4f3ab3115c9',
  MessageAttributes: {
    Attribute1: { DataType: 'String', StringValue: 'AttributeValue1' },
    Attribute3: { DataType: 'Binary', BinaryValue: Buffer.from('1100') },
  },
};
const QUEUE_ARN = 'arn:aws:sqs:eu-west-1:000000000000:eventpipe-local-retry';

describe('SQS event against aws-lambda-go-sqs-event', () => {
  const published = loadReference('aws-lambda-go-sqs-event') as { Records: Record<string, unknown>[] };
  const [publishedRecord = {}] = published.Records;
  const [emulatedRecord = {}] = toSqsEvent([received], QUEUE_ARN, 'eu-west-1').Records as unknown as Record<
    string,
    unknown
  >[];

  it('has the listed record fields, and so does the emulator record', () => {
    expect(shapeOf(published)).toEqual({ Records: 'array' });
    expect(shapeOf(publishedRecord)).toEqual(SQS_RECORD_FIELDS);
    expect(shapeOf(emulatedRecord)).toEqual(SQS_RECORD_FIELDS);
  });

  it('has the listed system attributes, and so does the emulator record', () => {
    expect(shapeOf(publishedRecord.attributes)).toEqual(SQS_ATTRIBUTE_FIELDS);
    expect(shapeOf(emulatedRecord.attributes)).toEqual(SQS_ATTRIBUTE_FIELDS);
  });

  it('spells String and Binary message attributes alike', () => {
    const publishedAttributes = publishedRecord.messageAttributes as Record<string, unknown>;
    const emulatedAttributes = emulatedRecord.messageAttributes as Record<string, unknown>;
    expect(shapeOf(publishedAttributes.Attribute1)).toEqual(SQS_STRING_ATTRIBUTE_FIELDS);
    expect(shapeOf(emulatedAttributes.Attribute1)).toEqual(SQS_STRING_ATTRIBUTE_FIELDS);
    expect(shapeOf(publishedAttributes.Attribute3)).toEqual(SQS_BINARY_ATTRIBUTE_FIELDS);
    expect(shapeOf(emulatedAttributes.Attribute3)).toEqual(SQS_BINARY_ATTRIBUTE_FIELDS);
  });
});

describe('SQS event against powertools-typescript-sqs (a message without attributes)', () => {
  const published = loadReference('powertools-typescript-sqs') as { Records: Record<string, unknown>[] };
  const { MD5OfMessageAttributes: __, MessageAttributes: ___, ...bare } = received;
  const emulated = toSqsEvent([bare], QUEUE_ARN, 'eu-west-1');

  it('has the listed record fields, and so does the emulator record', () => {
    expect(shapeOf(published.Records[1])).toEqual(SQS_RECORD_FIELDS_WITHOUT_ATTRIBUTES);
    expect(shapeOf(emulated.Records[0])).toEqual(SQS_RECORD_FIELDS_WITHOUT_ATTRIBUTES);
  });

  it("validates, like the published event, against Powertools' SqsSchema", () => {
    expect(SqsSchema.safeParse(published).error?.issues).toBeUndefined();
    expect(SqsSchema.safeParse(emulated).error?.issues).toBeUndefined();
    expect(SqsSchema.safeParse(toSqsEvent([received], QUEUE_ARN, 'eu-west-1')).error?.issues).toBeUndefined();
  });
});
