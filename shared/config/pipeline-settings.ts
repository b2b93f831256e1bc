import * as z from 'zod';
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
  .regex(
    KAFKA_TOPIC_NAME_PATTERN,
    `a Kafka topic name: ${KAFKA_TOPIC_MIN_LENGTH}–${KAFKA_TOPIC_MAX_LENGTH} characters from a-z A-Z 0-9 . _ -, not starting with "."`,
  );

/**
 * The deployment settings the functions read too, each stated once: the deployment settings schema
 * (`deployment-settings.ts`) and the functions' environment schema (`runtime-config.ts`) both take
 * these very field schemas, so bounds and defaults cannot drift. Kept apart from the rest of the
 * deployment settings so that the functions build only these at cold start.
 */
const PIPELINE_SETTING_FIELDS = {
  dlqTarget: z.enum(Object.values(DlqTarget) as [DlqTarget, ...DlqTarget[]]).default(DlqTarget.SQS),
  dlqTopic: KafkaTopicNameSchema.optional(),
  maxAttempts: z.number().int().min(1).max(100).default(5),
  backoffBaseSeconds: z.number().int().min(1).max(SQS_MAX_DELAY_SECONDS).default(10),
  backoffCapSeconds: z.number().int().min(1).max(SQS_MAX_VISIBILITY_SECONDS).default(3_600),
  recordConcurrency: z.number().int().min(1).max(1_000).default(10),
  deadlineMarginMs: z.number().int().min(0).max(120_000).default(3_000),
  maxRedrives: z.number().int().min(0).max(100).default(3),
  routes: z.record(z.string(), RouteUrlSchema).default({}),
  httpTimeoutMs: z.number().int().min(100).max(900_000).default(5_000),
  /** Per route: consecutive transient failures that open the circuit (0: off), and for how long. */
  circuitBreaker: z
    .object({
      failureThreshold: z.number().int().min(0).max(1_000).default(5),
      openSeconds: z.number().int().min(1).max(3_600).default(30),
    })
    .prefault({}),
  /** Record values over this size are dead-lettered at decode, never parsed. */
  maxRecordBytes: z.number().int().min(1_024).max(LAMBDA_MAX_PAYLOAD_BYTES).default(DEFAULT_MAX_RECORD_BYTES),
  serviceName: z.string().min(1).default('eventpipe'),
  metricsNamespace: z.string().min(1).default('EventPipe'),
  /** Powertools' levels; SILENT is for tests and local runs that print their own view. */
  logLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT']).default('INFO'),
};

/**
 * The HTTP front door's limits, read by the ingest function and set in the deployment's `ingest`
 * block (one statement of bounds and defaults for both).
 */
const INGEST_LIMIT_FIELDS = {
  /** Largest request body (decoded); past it, 413. */
  maxBodyBytes: z.number().int().min(1_024).max(INGEST_MAX_BODY_BYTES).default(DEFAULT_MAX_RECORD_BYTES),
  /** Most events in one batch request; past it, 413. */
  maxBatchEvents: z.number().int().min(1).max(1_000).default(100),
  /** How long the function waits for the broker's acknowledgement before answering 503. */
  produceTimeoutMs: z
    .number()
    .int()
    .min(100)
    .max((HTTP_API_MAX_INTEGRATION_TIMEOUT_SECONDS - 1) * 1_000)
    .default(5_000),
  /** The `Retry-After` of a 503. */
  retryAfterSeconds: z.number().int().min(1).max(3_600).default(5),
};

/**
 * The backoff cap must not be below its base (the first delay would exceed the cap). A rule of the
 * deployment settings that the functions' environment schema applies too.
 */
function checkBackoff(
  s: { readonly backoffBaseSeconds: number; readonly backoffCapSeconds: number },
  ctx: z.RefinementCtx,
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
  KafkaTopicNameSchema,
  kafkaDlqTopic,
  PIPELINE_SETTING_FIELDS,
};
