import { Duration } from 'aws-cdk-lib';
import { QueueEncryption } from 'aws-cdk-lib/aws-sqs';

/** SQS's longest retention: the time an operator has to look at a dead letter. */
const DLQ_RETENTION = Duration.days(14);
/** Retry messages wait at most the 12-hour visibility cap per attempt; keep them well beyond. */
const RETRY_QUEUE_RETENTION = Duration.days(14);
/**
 * The redrive policy is a safety net for worker crashes; the worker itself dead-letters at the last
 * attempt. A little above maxAttempts so the net never fires first.
 */
const MAX_RECEIVE_COUNT_MARGIN = 3;

/** Encrypted at rest with SQS-managed keys; `enforceSSL` denies any request not over TLS. */
const SECURE_QUEUE_DEFAULTS = { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true } as const;

export { DLQ_RETENTION, MAX_RECEIVE_COUNT_MARGIN, RETRY_QUEUE_RETENTION, SECURE_QUEUE_DEFAULTS };
