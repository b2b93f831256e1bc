import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { flattenBatch, kafkaRecordSchema, wellFormedRecord } from '#shared/pipeline/kafka-event.ts';
import { kafkaRecord } from '../../../fixtures/factories.ts';

const FIXTURES = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'events');

/** Every record of every Kafka fixture (external shapes included). */
function fixtureRecords(): unknown[] {
  const records: unknown[] = [];
  for (const folder of ['external', 'msk', 'self-managed']) {
    for (const file of readdirSync(join(FIXTURES, folder)).filter((name) => name.endsWith('.json'))) {
      const event = JSON.parse(readFileSync(join(FIXTURES, folder, file), 'utf8')) as { records?: unknown };
      if (typeof event.records !== 'object' || event.records === null) continue;
      for (const list of Object.values(event.records)) if (Array.isArray(list)) records.push(...list);
    }
  }
  return records;
}

const anyValue = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.string(),
  fc.integer({ min: -5, max: 5 }),
  fc.double(),
  fc.constant(-0),
  fc.constant(Number.NaN),
  fc.constant(Number.POSITIVE_INFINITY),
  fc.boolean(),
  fc.constant([]),
  fc.constant({}),
);

const recordLike = fc.record(
  {
    topic: fc.oneof(fc.constantFrom('orders', ''), anyValue),
    partition: fc.oneof(fc.nat(), anyValue),
    offset: fc.oneof(fc.nat(), fc.constant(2 ** 53), anyValue),
    timestamp: fc.oneof(fc.integer(), anyValue),
    timestampType: fc.oneof(fc.constantFrom('CREATE_TIME', 'LOG_APPEND_TIME'), anyValue),
    key: fc.oneof(fc.base64String(), anyValue),
    value: fc.oneof(fc.base64String(), anyValue),
    headers: fc.oneof(
      fc.array(fc.dictionary(fc.string(), fc.array(fc.integer({ min: -130, max: 258 })))),
      fc.array(anyValue),
      anyValue,
    ),
    keySchemaMetadata: fc.oneof(
      fc.record({ dataFormat: fc.string(), schemaId: fc.string() }, { requiredKeys: [] }),
      fc.record({ dataFormat: anyValue, extra: fc.string() }, { requiredKeys: [] }),
      anyValue,
    ),
    valueSchemaMetadata: fc.oneof(fc.record({ dataFormat: fc.string() }, { requiredKeys: [] }), anyValue),
  },
  { requiredKeys: [] },
);

describe('wellFormedRecord', () => {
  it('accepts every record of the AWS-shaped fixtures that the schema accepts, with the same value', () => {
    // Prepare
    const records = fixtureRecords();
    expect(records.length).toBeGreaterThan(10);
    for (const raw of records) {
      // Act
      const parsed = kafkaRecordSchema().safeParse(raw);
      const fast = wellFormedRecord(raw);
      // Assess
      if (parsed.success) expect(fast).toEqual(parsed.data);
      else expect(fast).toBeUndefined();
    }
  });

  it('never accepts what kafkaRecordSchema() refuses, and returns what it would return', () => {
    fc.assert(
      fc.property(recordLike, (raw) => {
        const fast = wellFormedRecord(raw);
        if (fast === undefined) return; // the caller asks zod
        const parsed = kafkaRecordSchema().safeParse(raw);
        expect(parsed.success).toBe(true);
        expect(fast).toEqual(parsed.data);
      }),
      { numRuns: 2_000 },
    );
  });

  it('leaves records that are not objects to zod', () => {
    for (const raw of [null, undefined, 'record', 7, [], [{ topic: 't' }]]) {
      expect(wellFormedRecord(raw)).toBeUndefined();
    }
  });
});

const eventWith = (headers: unknown) => ({
  eventSource: 'aws:kafka' as const,
  records: { 'orders-0': [{ ...kafkaRecord({ offset: 3, value: {} }), headers }] },
});

describe('flattenBatch', () => {
  // AWS's Kafka event source sends Java bytes, -128..127 (aws-lambda-go events/testdata/kafka-event.json).
  it('accepts signed header bytes as AWS sends them', () => {
    const [item] = flattenBatch(
      eventWith([{ headerKey: [118, -36, 0, 127, -128] }, { city: [90, -61, -68] }]),
    );
    expect(item?.ok).toBe(true);
    expect(item?.coordinates.headers.city).toBe('Zü');
  });

  // Unconfirmed what AWS sends for a header without a value: [] and null both read as empty.
  it.each([[[]], [null]])('reads a header without a value (%j) as an empty value', (bytes) => {
    const [item] = flattenBatch(eventWith([{ 'x-flag': bytes }, { city: [90, -61, -68] }]));
    expect(item?.ok).toBe(true);
    expect(item?.coordinates.headers).toEqual({ 'x-flag': '', city: 'Zü' });
  });

  it.each([[-129], [256], [1.5]])('refuses a header byte of %s as a malformed record', (byte) => {
    const [item] = flattenBatch(eventWith([{ h: [65, byte] }]));
    expect(item?.ok).toBe(false);
    expect(item?.ok === false && item.reason).toMatch(/^malformed Kafka record: headers\.0\.h\.1: /);
  });
});
