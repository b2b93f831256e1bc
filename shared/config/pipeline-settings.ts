import { DlqTarget } from '../pipeline/constants.ts';
import {
  integer,
  matching,
  nonEmptyText,
  objectOf,
  oneOf,
  optional,
  prefaulted,
  recordOf,
  withDefault,
} from './field-kinds.ts';
import { type IssueSink, schemasOf } from './field-rule.ts';
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
import { RouteUrlRule } from './route-url.ts';

/** The Kafka DLQ topic's name when `dlqTopic` is unset: `<topic>.dlq`. */
const DEFAULT_DLQ_TOPIC_SUFFIX = '.dlq';

/**
 * One rule for every topic setting (source, DLQ, on-failure): Kafka's legal characters and length,
 * and CloudFormation's pattern for an event source mapping's `Topics`, `^[^.]([a-zA-Z0-9\-_.]+)`,
 * which refuses a name starting with `.` or one character long.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lambda-eventsourcemapping.html#cfn-lambda-eventsourcemapping-topics
 */
const KafkaTopicNameRule = matching(
  KAFKA_TOPIC_NAME_PATTERN,
  `a Kafka topic name: ${KAFKA_TOPIC_MIN_LENGTH}–${KAFKA_TOPIC_MAX_LENGTH} characters from a-z A-Z 0-9 . _ -, not starting with "."`,
);

/**
 * The deployment settings the functions read too, each stated once: the deployment settings schema
 * (`deployment-settings.ts`) and the functions' environment schema (`runtime-config.ts`) both take
 * these very field schemas ({@link PIPELINE_SETTING_FIELDS}), so bounds and defaults cannot drift,
 * and the functions read them plainly at cold start, building no schema. Kept apart from the rest
 * of the deployment settings so that the functions load only these.
 */
const PIPELINE_SETTING_RULES = {
  dlqTarget: withDefault(oneOf(Object.values(DlqTarget) as [DlqTarget, ...DlqTarget[]]), DlqTarget.SQS),
  dlqTopic: optional(KafkaTopicNameRule),
  maxAttempts: integer(1, 100, 5),
  backoffBaseSeconds: integer(1, SQS_MAX_DELAY_SECONDS, 10),
  backoffCapSeconds: integer(1, SQS_MAX_VISIBILITY_SECONDS, 3_600),
  recordConcurrency: integer(1, 1_000, 10),
  deadlineMarginMs: integer(0, 120_000, 3_000),
  maxRedrives: integer(0, 100, 3),
  routes: withDefault(recordOf(RouteUrlRule), {}),
  httpTimeoutMs: integer(100, 900_000, 5_000),
  /** Per route: consecutive transient failures that open the circuit (0: off), and for how long. */
  circuitBreaker: prefaulted(
    objectOf({ failureThreshold: integer(0, 1_000, 5), openSeconds: integer(1, 3_600, 30) }),
    {},
  ),
  /** Record values over this size are dead-lettered at decode, never parsed. */
  maxRecordBytes: integer(1_024, LAMBDA_MAX_PAYLOAD_BYTES, DEFAULT_MAX_RECORD_BYTES),
  serviceName: withDefault(nonEmptyText(), 'eventpipe'),
  metricsNamespace: withDefault(nonEmptyText(), 'EventPipe'),
  /** Powertools' levels; SILENT is for tests and local runs that print their own view. */
  logLevel: withDefault(oneOf(['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT']), 'INFO'),
};

/** The zod schemas of {@link PIPELINE_SETTING_RULES}, each built on first read. */
const PIPELINE_SETTING_FIELDS = schemasOf(PIPELINE_SETTING_RULES);

/**
 * The HTTP front door's limits, read by the ingest function and set in the deployment's `ingest`
 * block (one statement of bounds and defaults for both).
 */
const INGEST_LIMIT_RULES = {
  /** Largest request body (decoded); past it, 413. */
  maxBodyBytes: integer(1_024, INGEST_MAX_BODY_BYTES, DEFAULT_MAX_RECORD_BYTES),
  /** Most events in one batch request; past it, 413. */
  maxBatchEvents: integer(1, 1_000, 100),
  /** How long the function waits for the broker's acknowledgement before answering 503. */
  produceTimeoutMs: integer(100, (HTTP_API_MAX_INTEGRATION_TIMEOUT_SECONDS - 1) * 1_000, 5_000),
  /** The `Retry-After` of a 503. */
  retryAfterSeconds: integer(1, 3_600, 5),
};

/** The zod schemas of {@link INGEST_LIMIT_RULES}, each built on first read. */
const INGEST_LIMIT_FIELDS = schemasOf(INGEST_LIMIT_RULES);

/**
 * The backoff cap must not be below its base (the first delay would exceed the cap). A rule of the
 * deployment settings that the functions' environment schema applies too.
 */
function checkBackoff(
  s: { readonly backoffBaseSeconds: number; readonly backoffCapSeconds: number },
  issues: IssueSink,
): void {
  if (s.backoffCapSeconds < s.backoffBaseSeconds) {
    issues.addIssue({
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
  INGEST_LIMIT_RULES,
  KafkaTopicNameRule,
  kafkaDlqTopic,
  PIPELINE_SETTING_FIELDS,
  PIPELINE_SETTING_RULES,
};
