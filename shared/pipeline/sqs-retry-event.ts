import * as z from 'zod/mini';
import '../config/zod-locale.ts';

/**
 * The SQS event Lambda delivers to the retry worker: Powertools' `SqsSchema`
 * (`packages/parser/src/schemas/sqs.ts`), field for field. It is restated here because the
 * Powertools module imports `{ z } from 'zod'`, which keeps all of zod, locales included (≈350 KB
 * minified), in the worker's bundle; this one is built with `zod/mini`, like every schema the
 * functions load.
 *
 * ```json
 * { "Records": [ { "messageId": "059f36b4-…", "receiptHandle": "AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a…",
 *   "body": "{\"kind\":\"retry\",…}", "attributes": { "ApproximateReceiveCount": "1", … },
 *   "messageAttributes": {}, "md5OfBody": "e4e68fb7bd0e697a0ae8f1bb342846b3", "eventSource": "aws:sqs",
 *   "eventSourceARN": "arn:aws:sqs:us-east-2:123456789012:my-queue", "awsRegion": "us-east-2" } ] }
 * ```
 */
const SqsMessageAttributeSchema = z.object({
  stringValue: z.nullish(z.string()),
  binaryValue: z.nullish(z.string()),
  stringListValues: z.optional(z.array(z.string())),
  binaryListValues: z.optional(z.array(z.string())),
  dataType: z.union([z.literal('String'), z.literal('Number'), z.literal('Binary'), z.string()]),
});

const SqsAttributesSchema = z.object({
  ApproximateReceiveCount: z.string(),
  ApproximateFirstReceiveTimestamp: z.string(),
  MessageDeduplicationId: z.optional(z.string()),
  MessageGroupId: z.optional(z.string()),
  SenderId: z.string(),
  SentTimestamp: z.string(),
  SequenceNumber: z.optional(z.string()),
  AWSTraceHeader: z.optional(z.string()),
  DeadLetterQueueSourceArn: z.optional(z.string()),
});

const SqsRecordSchema = z.object({
  messageId: z.string(),
  receiptHandle: z.string(),
  body: z.string(),
  attributes: SqsAttributesSchema,
  messageAttributes: z.record(z.string(), SqsMessageAttributeSchema),
  md5OfBody: z.string(),
  md5OfMessageAttributes: z.nullish(z.string()),
  eventSource: z.literal('aws:sqs'),
  eventSourceARN: z.string(),
  awsRegion: z.string(),
});

const SqsEventSchema = z.object({ Records: z.array(SqsRecordSchema).check(z.minLength(1)) });

export { SqsEventSchema };
