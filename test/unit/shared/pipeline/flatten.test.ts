import { describe, expect, it } from 'vitest';
import { flattenBatch } from '#shared/pipeline/kafka-event.ts';
import { kafkaRecord } from '../../../fixtures/factories.ts';

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
