import { Duration } from 'aws-cdk-lib';
import { DeploymentFieldsSchema } from '#shared/config/deployment-settings.ts';

/** The settings schema's defaults, stated there once. */
const RETRY_WORKER = DeploymentFieldsSchema.shape.retryWorker.parse(undefined);

/** The retry queue's visibility timeout must be at least 6 × this (services-sqs-configure). */
const DEFAULT_RETRY_WORKER_TIMEOUT = Duration.seconds(RETRY_WORKER.timeoutSeconds);
const DEFAULT_RETRY_WORKER_MEMORY_MB = RETRY_WORKER.memoryMb;
/** SQS event source: messages per invocation (10 is the most without a batching window). */
const DEFAULT_RETRY_BATCH_SIZE = RETRY_WORKER.batchSize;
/** SQS event source `MaximumConcurrency` (2–1000): the retry worker pool. */
const DEFAULT_RETRY_MAX_CONCURRENCY = RETRY_WORKER.concurrency;

export {
  DEFAULT_RETRY_BATCH_SIZE,
  DEFAULT_RETRY_MAX_CONCURRENCY,
  DEFAULT_RETRY_WORKER_MEMORY_MB,
  DEFAULT_RETRY_WORKER_TIMEOUT,
};
