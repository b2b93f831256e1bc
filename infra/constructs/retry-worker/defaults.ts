import { Duration } from 'aws-cdk-lib';

/** The retry queue's visibility timeout must be at least 6 × this (services-sqs-configure). */
const DEFAULT_RETRY_WORKER_TIMEOUT = Duration.seconds(60);
const DEFAULT_RETRY_WORKER_MEMORY_MB = 512;
/** SQS event source: messages per invocation (10 is the most without a batching window). */
const DEFAULT_RETRY_BATCH_SIZE = 10;
/** SQS event source `MaximumConcurrency` (2–1000): the retry worker pool. */
const DEFAULT_RETRY_MAX_CONCURRENCY = 5;

export {
  DEFAULT_RETRY_BATCH_SIZE,
  DEFAULT_RETRY_MAX_CONCURRENCY,
  DEFAULT_RETRY_WORKER_MEMORY_MB,
  DEFAULT_RETRY_WORKER_TIMEOUT,
};
