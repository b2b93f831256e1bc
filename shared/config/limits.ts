/**
 * AWS limits the product must respect, each with its source. Configuration is validated against
 * these so that a bad value fails at synth or cold start, not in production.
 */

/**
 * Largest record value the consumer decodes by default: Kafka's own default (`message.max.bytes`,
 * https://kafka.apache.org/documentation/#brokerconfigs_message.max.bytes) rounded to 1 MiB.
 */
const DEFAULT_MAX_RECORD_BYTES = 1_048_576;
/** https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html */
const SQS_MAX_DELAY_SECONDS = 900;
/** https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ChangeMessageVisibility.html */
const SQS_MAX_VISIBILITY_SECONDS = 43_200;
/** https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatch.html */
const SQS_MAX_BATCH_ENTRIES = 10;
/** https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-messages.html (1 MiB since 2025) */
const SQS_MAX_MESSAGE_BYTES = 1_048_576;
/** https://docs.aws.amazon.com/lambda/latest/dg/with-kafka-configure.html */
const KAFKA_MAX_BATCH_SIZE = 10_000;
/** https://docs.aws.amazon.com/lambda/latest/dg/with-kafka-configure.html */
const KAFKA_MAX_BATCHING_WINDOW_SECONDS = 300;
/** https://docs.aws.amazon.com/lambda/latest/dg/with-kafka-configure.html (Kafka ESMs: 14 min) */
const KAFKA_MAX_FUNCTION_TIMEOUT_SECONDS = 840;
/** https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html (synchronous invoke payload) */
const LAMBDA_MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;
/** https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html */
const SQS_ESM_MIN_MAX_CONCURRENCY = 2;
const SQS_ESM_MAX_MAX_CONCURRENCY = 1000;
/** https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html (visibility ≥ 6 × timeout) */
const SQS_VISIBILITY_TO_TIMEOUT_RATIO = 6;
/**
 * Kafka topic names: Kafka's legal characters and 249 at most
 * (https://kafka.apache.org/documentation/#topicconfigs), and CloudFormation's pattern for an event
 * source mapping's Topics, `^[^.]([a-zA-Z0-9\-_.]+)`: no leading `.`, two characters at least.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lambda-eventsourcemapping.html#cfn-lambda-eventsourcemapping-topics
 */
const KAFKA_TOPIC_MIN_LENGTH = 2;
const KAFKA_TOPIC_MAX_LENGTH = 249;
const KAFKA_TOPIC_NAME_PATTERN = /^[a-zA-Z0-9_-][a-zA-Z0-9._-]{1,248}$/;

/**
 * The largest record batch a broker takes by default (`message.max.bytes`, also MSK's default):
 * https://kafka.apache.org/documentation/#brokerconfigs_message.max.bytes
 */
const KAFKA_DEFAULT_MESSAGE_MAX_BYTES = 1_048_588;
/**
 * What one ingested event's record adds to its value at most: the key (`partitionkey` ≤ 1,024
 * characters, 4 bytes each in UTF-8), the `content-type` and `ce_*` headers (id ≤ 256, type and
 * source ≤ 1,024 characters each) and the record batch's own framing.
 */
const INGEST_RECORD_OVERHEAD_BYTES = 16 * 1024;

/**
 * HTTP API: an integration answers within 30 s at most, and a request body is at most 10 MB.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html
 */
const HTTP_API_MAX_INTEGRATION_TIMEOUT_SECONDS = 30;
/**
 * The largest body the front door takes: Lambda's 6 MB synchronous payload holds the whole
 * payload 2.0 event, and a binary body arrives base64-encoded (4/3 larger), so 4 MiB is the most
 * that always fits.
 */
const INGEST_MAX_BODY_BYTES = 4 * 1024 * 1024;

/**
 * The metric groups a Kafka event source mapping can publish (`MetricsConfig`), only in provisioned
 * mode. https://docs.aws.amazon.com/lambda/latest/api/API_EventSourceMappingMetricsConfig.html
 */
const ESM_METRIC_GROUPS = ['EventCount', 'ErrorCount', 'KafkaMetrics'] as const;

export {
  DEFAULT_MAX_RECORD_BYTES,
  ESM_METRIC_GROUPS,
  HTTP_API_MAX_INTEGRATION_TIMEOUT_SECONDS,
  INGEST_MAX_BODY_BYTES,
  INGEST_RECORD_OVERHEAD_BYTES,
  KAFKA_DEFAULT_MESSAGE_MAX_BYTES,
  KAFKA_MAX_BATCH_SIZE,
  KAFKA_MAX_BATCHING_WINDOW_SECONDS,
  KAFKA_MAX_FUNCTION_TIMEOUT_SECONDS,
  KAFKA_TOPIC_MAX_LENGTH,
  KAFKA_TOPIC_MIN_LENGTH,
  KAFKA_TOPIC_NAME_PATTERN,
  LAMBDA_MAX_PAYLOAD_BYTES,
  SQS_ESM_MAX_MAX_CONCURRENCY,
  SQS_ESM_MIN_MAX_CONCURRENCY,
  SQS_MAX_BATCH_ENTRIES,
  SQS_MAX_DELAY_SECONDS,
  SQS_MAX_MESSAGE_BYTES,
  SQS_MAX_VISIBILITY_SECONDS,
  SQS_VISIBILITY_TO_TIMEOUT_RATIO,
};
