import { Duration } from 'aws-cdk-lib';
import { QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { SQS_VISIBILITY_TO_TIMEOUT_RATIO } from '#shared/config/limits.ts';
import { PIPELINE_SETTING_FIELDS } from '#shared/config/pipeline-settings.ts';
import { DLQ_RETENTION_SECONDS } from '#shared/config/queue-defaults.ts';
import { DEFAULT_RETRY_WORKER_TIMEOUT } from '../retry-worker/defaults.ts';

/** The time an operator has to look at a dead letter (shared with the local runtime). */
const DLQ_RETENTION = Duration.seconds(DLQ_RETENTION_SECONDS);
/** Retry messages wait at most the 12-hour visibility cap per attempt; keep them well beyond. */
const RETRY_QUEUE_RETENTION = Duration.days(14);

/** Processing attempts in all when not given (the Kafka path's first one included). */
const DEFAULT_MAX_ATTEMPTS = PIPELINE_SETTING_FIELDS.maxAttempts.parse(undefined);
/** 6 × the retry worker's default 60 s timeout (services-sqs-configure: visibility ≥ 6 × timeout). */
const DEFAULT_RETRY_VISIBILITY_TIMEOUT = Duration.seconds(
  SQS_VISIBILITY_TO_TIMEOUT_RATIO * DEFAULT_RETRY_WORKER_TIMEOUT.toSeconds(),
);

/** Encrypted at rest with SQS-managed keys; `enforceSSL` denies any request not over TLS. */
const SECURE_QUEUE_DEFAULTS = { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true } as const;

export {
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_RETRY_VISIBILITY_TIMEOUT,
  DLQ_RETENTION,
  RETRY_QUEUE_RETENTION,
  SECURE_QUEUE_DEFAULTS,
};
