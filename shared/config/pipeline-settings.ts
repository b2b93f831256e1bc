import * as z from 'zod/mini';
import { DlqTarget } from '../pipeline/constants.ts';
import {
  DEFAULT_MAX_RECORD_BYTES,
  HTTP_API_MAX_INTEGRATION_TIMEOUT_SECONDS,
  INGEST_MAX_BODY_BYTES,
  KAFKA_TOPIC_MAX_LENGTH,
  KAFKA_TOPIC_MIN_LENGTH,
  KAFKA_TOPIC_NAME_PATTERN,
  LAMBDA_MAX_PAYLOAD_BYTES,
  SQS_MAX_DELAY_SECONDS,
  SQS_MAX_VISIBILITY_SECONDS,
} from './limits.ts';
import { RouteUrlSchema } from './route-url.ts';
import './zod-locale.ts';

/** The Kafka DLQ topic's name when `dlqTopic` is unset: `<topic>.dlq`. */
const DEFAULT_DLQ_TOPIC_SUFFIX = '.dlq';

/**
 * One rule for every topic setting (source, DLQ, on-failure): Kafka's legal characters and length,
 * and CloudFormation's pattern for an event source mapping's `Topics`, `^[^.]([a-zA-Z0-9\-_.]+)`,
 * which refuses a name starting with `.` or one character long.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lambda-eventsourcemapping.html#cfn-lambda-eventsourcemapping-topics
 */
const KafkaTopicNameSchema = z
  .string()
  .check(
    z.regex(
      KAFKA_TOPIC_NAME_PATTERN,
      `a Kafka topic name: ${KAFKA_TOPIC_MIN_LENGTH}–${KAFKA_TOPIC_MAX_LENGTH} characters from a-z A-Z 0-9 . _ -, not starting with "."`,
    ),
  );

/** An integer setting within `[min, max]`, `fallback` when unset. */
function integer(min: number, max: number, fallback: number) {
  return z._default(z.number().check(z.int(), z.minimum(min), z.maximum(max)), fallback);
}

/**
 * The deployment settings the functions read too, each stated once: the deployment settings schema
 * (`deployment-settings.ts`) and the functions' environment schema (`runtime-config.ts`) both take
 * these very field schemas, so bounds and defaults cannot drift. Kept apart from the rest of the
 * deployment settings so that the functions build only these at cold start.
 */
const PIPELINE_SETTING_FIELDS = {
  dlqTarget: z._default(z.enum(Object.values(DlqTarget) as [DlqTarget, ...DlqTarget[]]), DlqTarget.SQS),
  dlqTopic: z.optional(KafkaTopicNameSchema),
  maxAttempts: integer(1, 100, 5),
  backoffBaseSeconds: integer(1, SQS_MAX_DELAY_SECONDS, 10),
  backoffCapSeconds: integer(1, SQS_MAX_VISIBILITY_SECONDS, 3_600),
  recordConcurrency: integer(1, 1_000, 10),
  deadlineMarginMs: integer(0, 120_000, 3_000),
  maxRedrives: integer(0, 100, 3),
  routes: z._default(z.record(z.string(), RouteUrlSchema), {}),
  httpTimeoutMs: integer(100, 900_000, 5_000),
  /** Per route: consecutive transient failures that open the circuit (0: off), and for how long. */
  circuitBreaker: z.prefault(
    z.object({ failureThreshold: integer(0, 1_000, 5), openSeconds: integer(1, 3_600, 30) }),
    {},
  ),
  /** Record values over this size are dead-lettered at decode, never parsed. */
  maxRecordBytes: integer(1_024, LAMBDA_MAX_PAYLOAD_BYTES, DEFAULT_MAX_RECORD_BYTES),
  serviceName: z._default(z.string().check(z.minLength(1)), 'eventpipe'),
  metricsNamespace: z._default(z.string().check(z.minLength(1)), 'EventPipe'),
  /** Powertools' levels; SILENT is for tests and local runs that print their own view. */
  logLevel: z._default(z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT']), 'INFO'),
};

/**
 * The HTTP front door's limits, read by the ingest function and set in the deployment's `ingest`
 * block (one statement of bounds and defaults for both).
 */
const INGEST_LIMIT_FIELDS = {
  /** Largest request body (decoded); past it, 413. */
  maxBodyBytes: integer(1_024, INGEST_MAX_BODY_BYTES, DEFAULT_MAX_RECORD_BYTES),
  /** Most events in one batch request; past it, 413. */
  maxBatchEvents: integer(1, 1_000, 100),
  /** How long the function waits for the broker's acknowledgement before answering 503. */
  produceTimeoutMs: integer(100, (HTTP_API_MAX_INTEGRATION_TIMEOUT_SECONDS - 1) * 1_000, 5_000),
  /** The `Retry-After` of a 503. */
  retryAfterSeconds: integer(1, 3_600, 5),
};

/**
 * The backoff cap must not be below its base (the first delay would exceed the cap). A rule of the
 * deployment settings that the functions' environment schema applies too.
 */
function checkBackoff(
  s: { readonly backoffBaseSeconds: number; readonly backoffCapSeconds: number },
  ctx: z.core.$RefinementCtx,
): void {
  if (s.backoffCapSeconds < s.backoffBaseSeconds) {
    ctx.addIssue({
      code: 'custom',
      path: ['backoffCapSeconds'],
      message: 'must be at least backoffBaseSeconds',
    });
  }
}

/** The Kafka DLQ topic: configured, or `<topic>.dlq`. */
function kafkaDlqTopic(settings: { readonly topic: string; readonly dlqTopic?: string | undefined }): string {
  return settings.dlqTopic ?? `${settings.topic}${DEFAULT_DLQ_TOPIC_SUFFIX}`;
}

export {
  checkBackoff,
  DEFAULT_DLQ_TOPIC_SUFFIX,
  INGEST_LIMIT_FIELDS,
  integer,
  KafkaTopicNameSchema,
  kafkaDlqTopic,
  PIPELINE_SETTING_FIELDS,
};
