import * as z from 'zod';

/**
 * The SQS event Lambda delivers to the retry worker (`SQSEvent` in @types/aws-lambda), checked for
 * what the worker reads: each record's id, receipt handle, body and receive count, and that it
 * comes from SQS. The other fields of Powertools' `SqsSchema` (`packages/parser/src/schemas/sqs.ts`:
 * the other attributes, message attributes, MD5s, ARN, region) are neither read nor checked:
 * refusing an event for one of them would fail a batch whose messages are fine. (Powertools' own
 * module imports `{ z } from 'zod'`, which keeps all of zod, locales included, in the bundle.)
 *
 * ```json
 * { "Records": [ { "messageId": "059f36b4-…", "receiptHandle": "AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a…",
 *   "body": "{\"kind\":\"retry\",…}", "attributes": { "ApproximateReceiveCount": "1", … },
 *   "messageAttributes": {}, "md5OfBody": "e4e68fb7bd0e697a0ae8f1bb342846b3", "eventSource": "aws:sqs",
 *   "eventSourceARN": "arn:aws:sqs:us-east-2:123456789012:my-queue", "awsRegion": "us-east-2" } ] }
 * ```
 */
const SqsEventSchema = z.object({
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
    .nonempty(),
});

export { SqsEventSchema };
