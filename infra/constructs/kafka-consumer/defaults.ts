import { Duration } from 'aws-cdk-lib';
import { MetricType } from 'aws-cdk-lib/aws-lambda';
import { DeploymentFieldsSchema } from '#shared/config/deployment-settings.ts';

/** The settings schema's defaults, stated there once. */
const CONSUMER = DeploymentFieldsSchema.shape.consumer.parse(undefined);

/** Long enough for a 100-record batch against a slow webhook; Kafka allows up to 14 minutes. */
const DEFAULT_CONSUMER_TIMEOUT = Duration.seconds(CONSUMER.timeoutSeconds);
/** More memory is more CPU: decoding and validating a batch is CPU-bound. */
const DEFAULT_CONSUMER_MEMORY_MB = CONSUMER.memoryMb;
/** The worker pool: at most this many batches in flight. */
const DEFAULT_CONSUMER_RESERVED_CONCURRENCY =
  DeploymentFieldsSchema.shape.reservedConcurrency.parse(undefined);
/**
 * With provisioned pollers, the mapping publishes every metric group unless told otherwise. On
 * demand it publishes none: "Observability features (LogLevel and MetricsConfig) are only
 * available when using provisioned mode" (aws-cdk-lib aws-lambda-event-sources README).
 */
const DEFAULT_PROVISIONED_METRICS = [
  MetricType.EVENT_COUNT,
  MetricType.ERROR_COUNT,
  MetricType.KAFKA_METRICS,
];

export {
  DEFAULT_CONSUMER_MEMORY_MB,
  DEFAULT_CONSUMER_RESERVED_CONCURRENCY,
  DEFAULT_CONSUMER_TIMEOUT,
  DEFAULT_PROVISIONED_METRICS,
};
