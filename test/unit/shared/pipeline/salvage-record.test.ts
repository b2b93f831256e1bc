import { describe, expect, it } from 'vitest';
import { consumeBatch } from '#shared/pipeline/consume-batch.ts';
import { salvageRecord } from '#shared/pipeline/kafka-event.ts';
import type { DeadLetter } from '#shared/pipeline/messages.ts';
import { retryBatch } from '#shared/pipeline/retry-batch.ts';
import { kafkaRecord, orderPlaced } from '../../../fixtures/factories.ts';
import { pipelineSettings, recordingPorts } from '../../../fixtures/ports.ts';

const NOW = Date.parse('2026-11-27T10:00:00.000Z');
const settings = pipelineSettings({ deadlineMarginMs: 1_000 });

/** The consumer's dead letter for one record as it arrived (any shape), under `orders.eu-3`. */
async function deadLetterOf(record: unknown): Promise<DeadLetter> {
  const { deadLetters, ...ports } = recordingPorts();
  await consumeBatch({ eventSource: 'aws:kafka', records: { 'orders.eu-3': [record] } }, () => 60_000, {
    ...ports,
    deadLetters,
    settings,
    now: () => NOW,
  });
  expect(deadLetters.letters).toHaveLength(1);
  return deadLetters.letters[0] as DeadLetter;
}

/** The retry worker's outcome for that dead letter, redriven onto the retry queue. */
async function redriven(letter: DeadLetter) {
  const processed: string[] = [];
  const { outcomes } = await retryBatch(
    [{ messageId: 'm1', receiptHandle: 'rh-1', body: JSON.stringify(letter), receiveCount: 1 }],
    () => 60_000,
    {
      ...recordingPorts(async (event) => {
        processed.push(event.id);
      }),
      settings,
      now: () => NOW,
    },
  );
  return { outcome: outcomes[0], processed };
}

const valid = kafkaRecord({
  topic: 'orders.eu',
  partition: 3,
  offset: 41,
  key: 'customer-1',
  value: orderPlaced('e-salvaged'),
  headers: { traceparent: '00-abc-01', city: 'Zürich' },
});

describe('a record refused for its shape', () => {
  it('keeps its value, key, valid headers, timestamp and timestamp type in the dead letter', async () => {
    // Prepare: a valid record with one header whose bytes are out of range
    const record = { ...valid, headers: [...valid.headers, { bad: [65, 300] }] };
    // Act
    const letter = await deadLetterOf(record);
    // Assess
    expect(letter.failure.message).toMatch(/^malformed Kafka record: headers\.2\.bad\.1: /);
    expect(letter.raw).toEqual({
      keyBase64: valid.key,
      valueBase64: valid.value,
      unkept: { 'headers.2.bad': 'it was not an array of bytes (-128..255)' },
    });
    expect(letter.source).toEqual({
      topic: 'orders.eu',
      partition: 3,
      offset: 41,
      timestamp: valid.timestamp,
      timestampType: 'CREATE_TIME',
      key: 'customer-1',
      keyBase64: valid.key,
      headers: { traceparent: '00-abc-01', city: 'Zürich' },
    });
  });

  it('is processed when its dead letter is redriven', async () => {
    // Prepare: the offset is refused, everything else is fine
    const letter = await deadLetterOf({ ...valid, offset: 'forty-one' });
    // Act
    const { outcome, processed } = await redriven(letter);
    // Assess
    expect(letter.source.offset).toBe(-1);
    expect(outcome).toMatchObject({ kind: 'processed', eventType: 'order.placed' });
    expect(processed).toEqual(['e-salvaged']);
  });

  it.each([
    ['a number', 42, 'it was a number, not a base64 string'],
    ['an object', { json: true }, 'it was an object, not a base64 string'],
  ])(
    'whose value was %s says on redrive that the value was lost, not that it was a tombstone',
    async (_, value, why) => {
      // Prepare
      const letter = await deadLetterOf({ ...valid, value });
      // Act
      const { outcome } = await redriven(letter);
      // Assess
      expect(letter.raw).toMatchObject({ valueBase64: null, keyBase64: valid.key, unkept: { value: why } });
      expect(outcome?.kind).toBe('dead-letter');
      const failure = outcome?.kind === 'dead-letter' ? outcome.letter.failure : undefined;
      expect(failure).toMatchObject({
        stage: 'decode',
        errorName: 'DecodeError',
        message: `the record's value could not be kept: ${why} (malformed record)`,
      });
    },
  );

  it('that is not even an object names that, and its redrive says so', async () => {
    const letter = await deadLetterOf(7);
    const { outcome } = await redriven(letter);
    expect(letter.source).toMatchObject({ topic: 'orders.eu', partition: 3, offset: -1 });
    expect(outcome?.kind === 'dead-letter' && outcome.letter.failure.message).toBe(
      "the record's value could not be kept: the record was a number, not an object (malformed record)",
    );
  });

  it('still reads as a tombstone when its value really was null', async () => {
    const letter = await deadLetterOf({ ...valid, value: null, offset: -5 });
    const { outcome } = await redriven(letter);
    expect(letter.raw).toEqual({ keyBase64: valid.key, valueBase64: null });
    expect(outcome?.kind === 'dead-letter' && outcome.letter.failure.message).toMatch(/^tombstone: /);
  });
});

describe('salvageRecord', () => {
  it.each([
    [
      'headers that are not an array',
      { headers: 'traceparent' },
      { headers: 'it was a string, not an array of headers' },
    ],
    [
      'a header entry that is not an object',
      { headers: [[1, 2]] },
      { 'headers.0': 'it was an array, not a header object' },
    ],
    ['a key that is not a string', { key: 7 }, { key: 'it was a number, not a base64 string' }],
  ])('names %s in unkept and keeps the value', (_, broken, unkept) => {
    const { raw } = salvageRecord({ ...valid, ...broken }, 'orders.eu-3');
    expect(raw).toEqual({ keyBase64: 'key' in broken ? null : valid.key, valueBase64: valid.value, unkept });
  });

  it('falls back to the records key for a topic and partition it lacks', () => {
    const { coordinates } = salvageRecord({ value: valid.value }, 'my.topic-name-10');
    expect(coordinates).toMatchObject({
      topic: 'my.topic-name',
      partition: 10,
      offset: -1,
      timestampType: 'UNKNOWN',
    });
  });
});
