import * as z from 'zod/mini';
import '../config/zod-locale.ts';

/**
 * The SQS event Lambda delivers to the retry worker (`SQSEvent` in @types/aws-lambda), checked for
 * what the worker reads: each record's id, receipt handle, body and receive count, and that it
 * comes from SQS. The other fields of Powertools' `SqsSchema` (`packages/parser/src/schemas/sqs.ts`:
 * the other attributes, message attributes, MD5s, ARN, region) are neither read nor checked:
 * refusing an event for one of them would fail a batch whose messages are fine. (Powertools' own
 * module imports `{ z } from 'zod'`, which keeps all of zod, locales included, in the bundle; this
 * one is built with `zod/mini`, like every schema the functions load.)
 *
 * ```json
 * { "Records": [ { "messageId": "059f36b4-…", "receiptHandle": "AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a…",
 *   "body": "{\"kind\":\"retry\",…}", "attributes": { "ApproximateReceiveCount": "1", … },
 *   "messageAttributes": {}, "md5OfBody": "e4e68fb7bd0e697a0ae8f1bb342846b3", "eventSource": "aws:sqs",
 *   "eventSourceARN": "arn:aws:sqs:us-east-2:123456789012:my-queue", "awsRegion": "us-east-2" } ] }
 * ```
 */
function buildSqsEventSchema() {
  return z.object({
    Records: z
      .array(
        z.object({
          messageId: z.string(),
          receiptHandle: z.string(),
          body: z.string(),
          attributes: z.object({ ApproximateReceiveCount: z.string() }),
          eventSource: z.literal('aws:sqs'),
        }),
      )
      .check(z.minLength(1)),
  });
}

type SqsEvent = z.infer<ReturnType<typeof buildSqsEventSchema>>;
type SqsEventRecord = SqsEvent['Records'][number];

let sqsEvent: ReturnType<typeof buildSqsEventSchema> | undefined;

/**
 * The schema, built on first use: a well-formed event (every event Lambda delivers) never needs it,
 * only one {@link wellFormedSqsEvent} is unsure of, to word the failure.
 */
function sqsEventSchema(): ReturnType<typeof buildSqsEventSchema> {
  sqsEvent ??= buildSqsEventSchema();
  return sqsEvent;
}

/**
 * The event as `sqsEventSchema()` would return it, checked by hand on the hot path of every batch
 * (and without running zod's parsing code cold on the first): it accepts only what the schema
 * accepts and returns the same value (known keys only); anything else gets `undefined`, and the
 * caller runs the schema, which words the failure.
 *
 * @example
 * ```ts
 * const event = wellFormedSqsEvent(raw) ?? sqsEventSchema().parse(raw);
 * ```
 */
function wellFormedSqsEvent(raw: unknown): SqsEvent | undefined {
  if (!isNonArrayObject(raw)) return undefined;
  const { Records: records } = raw;
  if (!Array.isArray(records) || records.length === 0) return undefined;
  const checked: SqsEventRecord[] = [];
  for (const record of records) {
    if (!isNonArrayObject(record)) return undefined;
    const { messageId, receiptHandle, body, attributes, eventSource } = record;
    if (typeof messageId !== 'string' || typeof receiptHandle !== 'string' || typeof body !== 'string') {
      return undefined;
    }
    if (eventSource !== 'aws:sqs' || !isNonArrayObject(attributes)) return undefined;
    const { ApproximateReceiveCount } = attributes;
    if (typeof ApproximateReceiveCount !== 'string') return undefined;
    checked.push({ messageId, receiptHandle, body, attributes: { ApproximateReceiveCount }, eventSource });
  }
  return { Records: checked };
}

/** An object zod's `z.object` takes: not null, not an array (zod reads any other object's keys). */
function isNonArrayObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The retry worker's event: checked by hand, the schema parsing (and throwing its `ZodError`) only
 * an event the hand check refuses.
 *
 * @example
 * ```ts
 * const { Records } = parseSqsEvent(rawEvent);
 * ```
 */
function parseSqsEvent(raw: unknown): SqsEvent {
  return wellFormedSqsEvent(raw) ?? sqsEventSchema().parse(raw);
}

export type { SqsEvent };
export { parseSqsEvent, sqsEventSchema, wellFormedSqsEvent };
