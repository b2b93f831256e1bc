import * as z from 'zod';

/**
 * The SQS event Lambda delivers to the retry worker: Powertools' `SqsSchema`
 * (`packages/parser/src/schemas/sqs.ts`), field for field. It is restated here because the
 * Powertools module imports `{ z } from 'zod'`, which keeps all of zod, locales included (≈350 KB
 * minified), in the worker's bundle; `import * as z` lets esbuild drop what is unused.
 *
 * ```json
 * { "Records": [ { "messageId": "059f36b4-…", "receiptHandle": "AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a…",
 *   "body": "{\"kind\":\"retry\",…}", "attributes": { "ApproximateReceiveCount": "1", … },
 *   "messageAttributes": {}, "md5OfBody": "e4e68fb7bd0e697a0ae8f1bb342846b3", "eventSource": "aws:sqs",
 *   "eventSourceARN": "arn:aws:sqs:us-east-2:123456789012:my-queue", "awsRegion": "us-east-2" } ] }
 * ```
 */
const SqsMessageAttributeSchema = z.object({
  stringValue: z.string().optional().nullable(),
  binaryValue: z.string().optional().nullable(),
  stringListValues: z.array(z.string()).optional(),
  binaryListValues: z.array(z.string()).optional(),
  dataType: z.union([z.literal('String'), z.literal('Number'), z.literal('Binary'), z.string()]),
});

const SqsAttributesSchema = z.object({
  ApproximateReceiveCount: z.string(),
  ApproximateFirstReceiveTimestamp: z.string(),
  MessageDeduplicationId: z.string().optional(),
  MessageGroupId: z.string().optional(),
  SenderId: z.string(),
  SentTimestamp: z.string(),
  SequenceNumber: z.string().optional(),
  AWSTraceHeader: z.string().optional(),
  DeadLetterQueueSourceArn: z.string().optional(),
});

const SqsRecordSchema = z.object({
  messageId: z.string(),
  receiptHandle: z.string(),
  body: z.string(),
  attributes: SqsAttributesSchema,
  messageAttributes: z.record(z.string(), SqsMessageAttributeSchema),
  md5OfBody: z.string(),
  md5OfMessageAttributes: z.string().optional().nullable(),
  eventSource: z.literal('aws:sqs'),
  eventSourceARN: z.string(),
  awsRegion: z.string(),
});

const SqsEventSchema = z.object({ Records: z.array(SqsRecordSchema).nonempty() });

export { SqsEventSchema };
