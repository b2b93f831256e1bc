import * as z from 'zod/mini';
import '../config/zod-locale.ts';
import { MessageKind, Stage } from './constants.ts';

/**
 * Kafka coordinates as carried in retry messages and dead letters.
 *
 * ```json
 * { "topic": "orders", "partition": 2, "offset": 1041, "timestamp": 1764007200000,
 *   "timestampType": "CREATE_TIME", "key": "customer-7", "keyBase64": "Y3VzdG9tZXItNw==",
 *   "headers": { "traceparent": "00-…" } }
 * ```
 */
const CoordinatesSchema = z.object({
  topic: z.string(),
  partition: z.number().check(z.int()),
  offset: z.number().check(z.int()),
  timestamp: z.number(),
  timestampType: z.string(),
  key: z.nullable(z.string()),
  keyBase64: z.nullable(z.string()),
  headers: z.record(z.string(), z.string()),
});

/** What went wrong, how often, since when; `redriveCount` counts operator redrives. */
const FailureSchema = z.object({
  stage: z.enum(Object.values(Stage) as [Stage, ...Stage[]]),
  errorName: z.string(),
  message: z.string(),
  stack: z.optional(z.string()),
  details: z.optional(z.unknown()),
  attempts: z.number().check(z.int(), z.nonnegative()),
  firstFailureAt: z.iso.datetime(),
  lastFailureAt: z.iso.datetime(),
  redriveCount: z.number().check(z.int(), z.nonnegative()),
  /** Past the redrive cap: set aside, not retried again by a redrive. */
  parked: z.optional(z.boolean()),
});

/** An event as carried on the queues: the validated envelope, `data` kept as JSON. */
const QueuedEventSchema = z.looseObject({ id: z.string(), type: z.string() });

/**
 * A retry message on the retry queue: the event, where it came from and how it failed so far.
 *
 * ```json
 * { "kind": "eventpipe.retry/v1", "event": { "specversion": "1.0", "id": "e-1", ... },
 *   "source": { "topic": "orders", "partition": 0, "offset": 7, ... },
 *   "attempts": 1, "redriveCount": 0,
 *   "failure": { "stage": "process", "errorName": "TransientError", "message": "HTTP 503", ... } }
 * ```
 */
const RetryMessageSchema = z.object({
  kind: z.literal(MessageKind.RETRY),
  event: QueuedEventSchema,
  source: CoordinatesSchema,
  /** Processing attempts made before this message was sent (0 for a deferred record). */
  attempts: z.number().check(z.int(), z.nonnegative()),
  redriveCount: z.number().check(z.int(), z.nonnegative()),
  failure: z.optional(FailureSchema),
  /** Receives short-circuited by an open circuit: they grow the backoff but spend no attempt. */
  shortCircuits: z.optional(z.number().check(z.int(), z.nonnegative())),
});

/**
 * The raw record of a dead letter that has no valid event: key and value base64 as Kafka gave
 * them (value null for a tombstone). `unkept` names each part of a record refused for its shape
 * that could not be kept, and why, so that a lost value is never taken for a tombstone.
 *
 * ```json
 * { "keyBase64": "azE=", "valueBase64": null,
 *   "unkept": { "value": "it was a number, not a base64 string", "headers.0.h": "it was not an array of bytes (-128..255)" } }
 * ```
 */
const RawRecordSchema = z.object({
  keyBase64: z.nullable(z.string()),
  valueBase64: z.nullable(z.string()),
  unkept: z.optional(z.record(z.string(), z.string())),
});

/**
 * A dead letter: the event (or the raw record when it could not be decoded), its coordinates and
 * the failure. `oversized` means the payload was dropped to fit SQS: replay it from Kafka by offset.
 *
 * ```json
 * { "kind": "eventpipe.dead-letter/v1", "event": null,
 *   "raw": { "keyBase64": "azE=", "valueBase64": "bm90IGpzb24=" },
 *   "source": { "topic": "orders", "partition": 0, "offset": 8, ... },
 *   "failure": { "stage": "decode", "errorName": "DecodeError", "message": "value is not valid JSON: …",
 *                "attempts": 1, "redriveCount": 0, ... },
 *   "oversized": false }
 * ```
 */
const DeadLetterSchema = z.object({
  kind: z.literal(MessageKind.DEAD_LETTER),
  event: z.nullable(QueuedEventSchema),
  raw: z.nullable(RawRecordSchema),
  source: CoordinatesSchema,
  failure: FailureSchema,
  oversized: z.boolean(),
});

/** What arrives on the retry queue: a retry message, or a dead letter an operator redrove. */
const RetryQueueBodySchema = z.discriminatedUnion('kind', [RetryMessageSchema, DeadLetterSchema]);

/** Where a record came from in Kafka: enough to find it again by offset (see {@link CoordinatesSchema}). */
type KafkaCoordinates = Readonly<z.infer<typeof CoordinatesSchema>>;
type Failure = z.infer<typeof FailureSchema>;
type QueuedEvent = z.infer<typeof QueuedEventSchema>;
type RetryMessage = z.infer<typeof RetryMessageSchema>;
type DeadLetter = z.infer<typeof DeadLetterSchema>;
type RawRecord = z.infer<typeof RawRecordSchema>;
type RetryQueueBody = z.infer<typeof RetryQueueBodySchema>;

export type { DeadLetter, Failure, KafkaCoordinates, QueuedEvent, RawRecord, RetryMessage, RetryQueueBody };
export { CoordinatesSchema, DeadLetterSchema, FailureSchema, RetryMessageSchema, RetryQueueBodySchema };
