import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSqsEvent, sqsEventSchema, wellFormedSqsEvent } from '#shared/handlers/sqs-event.ts';
import { loadEvent } from '../../../fixtures/load-event.ts';

/**
 * SQS events as Lambda delivers them, from outside references: aws-lambda-go
 * `events/testdata/sqs-event.json`, Powertools Python's and TypeScript's parser fixtures,
 * aws-lambda-rust-runtime's examples, and one of our own retry messages.
 */
const SQS_FIXTURES = [
  'go-sqs-event',
  'pt-py-sqs-event',
  'pt-ts-parser-sqs-base',
  'rust-example-sqs-event',
  'rust-example-sqs-event-obj',
  'ours-sqs-retry-message',
];

const anyValue = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.string(),
  fc.integer({ min: -5, max: 5 }),
  fc.boolean(),
  fc.constant([]),
  fc.constant({}),
  fc.constant(['aws:sqs']),
);

const recordLike = fc.oneof(
  fc.record(
    {
      messageId: fc.oneof(fc.uuid(), anyValue),
      receiptHandle: fc.oneof(fc.base64String(), anyValue),
      body: fc.oneof(fc.json(), anyValue),
      attributes: fc.oneof(
        fc.record(
          { ApproximateReceiveCount: fc.oneof(fc.nat().map(String), anyValue), SentTimestamp: fc.string() },
          { requiredKeys: [] },
        ),
        anyValue,
      ),
      messageAttributes: fc.oneof(fc.constant({}), anyValue),
      eventSource: fc.oneof(fc.constantFrom('aws:sqs', 'aws:sns', 'aws:kafka'), anyValue),
      eventSourceARN: fc.string(),
    },
    { requiredKeys: [] },
  ),
  anyValue,
);

const eventLike = fc.oneof(
  fc.record({ Records: fc.oneof(fc.array(recordLike, { maxLength: 4 }), anyValue) }, { requiredKeys: [] }),
  fc.record({ Records: fc.array(recordLike, { maxLength: 4 }), extra: fc.string() }),
  anyValue,
);

describe('wellFormedSqsEvent', () => {
  it('accepts every reference SQS event, with the value sqsEventSchema() returns', () => {
    for (const name of SQS_FIXTURES) {
      // Prepare
      const raw = loadEvent('external', name);
      // Act
      const fast = wellFormedSqsEvent(raw);
      // Assess
      expect(fast, name).toEqual(sqsEventSchema().parse(raw));
    }
  });

  it('never accepts what sqsEventSchema() refuses, and returns what it would return', () => {
    fc.assert(
      fc.property(eventLike, (raw) => {
        const fast = wellFormedSqsEvent(raw);
        const parsed = sqsEventSchema().safeParse(raw);
        // The hand check decides alone only when it accepts; what it refuses, zod words.
        if (fast === undefined) expect(parsed.success).toBe(false);
        else expect(parsed.success && parsed.data).toEqual(fast);
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('parseSqsEvent', () => {
  it('words a refused event with the schema, naming the field', () => {
    const record = loadEvent<{ Records: object[] }>('external', 'go-sqs-event').Records[0];
    expect(() => parseSqsEvent({ Records: [{ ...record, eventSource: 'aws:sns' }] })).toThrow(/aws:sqs/);
    expect(() => parseSqsEvent({ Records: [] })).toThrow(/Records/);
  });
});
