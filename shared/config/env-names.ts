/**
 * The environment variables the product reads, in one place. Only `shared/config/` reads the
 * environment; everything else receives a parsed configuration object.
 */
const ENV = {
  /** Comma-separated `host:port` list of Kafka brokers (local runtime, tests, Kafka DLQ outside the consumer). */
  KAFKA_BROKERS: 'EVENTPIPE_KAFKA_BROKERS',
  /** Endpoint override for SQS (ElasticMQ or LocalStack locally); unset on AWS. */
  SQS_ENDPOINT: 'EVENTPIPE_SQS_ENDPOINT',
  /** Local runtime only: JSON merged over cdk.json's settings (e.g. a test's own topic and group). */
  LOCAL_SETTINGS: 'EVENTPIPE_LOCAL_SETTINGS',
  /** The AWS region; Lambda sets it. */
  AWS_REGION: 'AWS_REGION',
  RETRY_QUEUE_URL: 'EVENTPIPE_RETRY_QUEUE_URL',
  DLQ_URL: 'EVENTPIPE_DLQ_URL',
  DLQ_TARGET: 'EVENTPIPE_DLQ_TARGET',
  DLQ_TOPIC: 'EVENTPIPE_DLQ_TOPIC',
  MSK_CLUSTER_ARN: 'EVENTPIPE_MSK_CLUSTER_ARN',
  KAFKA_AUTH: 'EVENTPIPE_KAFKA_AUTH',
  KAFKA_SECRET_ARN: 'EVENTPIPE_KAFKA_SECRET_ARN',
  MAX_ATTEMPTS: 'EVENTPIPE_MAX_ATTEMPTS',
  BACKOFF_BASE_SECONDS: 'EVENTPIPE_BACKOFF_BASE_SECONDS',
  BACKOFF_CAP_SECONDS: 'EVENTPIPE_BACKOFF_CAP_SECONDS',
  RECORD_CONCURRENCY: 'EVENTPIPE_RECORD_CONCURRENCY',
  DEADLINE_MARGIN_MS: 'EVENTPIPE_DEADLINE_MARGIN_MS',
  MAX_REDRIVES: 'EVENTPIPE_MAX_REDRIVES',
  ROUTES: 'EVENTPIPE_ROUTES',
  HTTP_TIMEOUT_MS: 'EVENTPIPE_HTTP_TIMEOUT_MS',
  MAX_MESSAGE_BYTES: 'EVENTPIPE_MAX_MESSAGE_BYTES',
  SERVICE_NAME: 'POWERTOOLS_SERVICE_NAME',
  METRICS_NAMESPACE: 'POWERTOOLS_METRICS_NAMESPACE',
  LOG_LEVEL: 'POWERTOOLS_LOG_LEVEL',
} as const;

export { ENV };
