import { type Duration, Stack } from 'aws-cdk-lib';
import { Queue, RedrivePermission } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { maxReceiveCount } from '#shared/config/queue-defaults.ts';
import {
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_RETRY_VISIBILITY_TIMEOUT,
  DLQ_RETENTION,
  RETRY_QUEUE_RETENTION,
  SECURE_QUEUE_DEFAULTS,
} from './defaults.ts';

interface RetryQueuesProps {
  /**
   * Processing attempts in all (the Kafka path's first one included). The retry queue's redrive
   * policy moves a message to the DLQ after a few receives more (a safety net for worker crashes).
   * @default 5
   */
  readonly maxAttempts?: number;
  /**
   * The retry queue's visibility timeout: at least 6 × the retry worker's timeout, at most 12 hours.
   * https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html
   * @default Duration.minutes(6)
   */
  readonly visibilityTimeout?: Duration;
}

/**
 * The retry queue and its dead-letter queue. The DLQ is the retry queue's redrive target and allows
 * redrive from it alone (by queue), so the console's "Start DLQ redrive" moves dead letters back
 * to the retry queue, where the worker gives them a fresh attempt budget.
 *
 * @example
 * ```ts
 * const { retryQueue, deadLetterQueue } = new RetryQueues(this, 'Queues', { maxAttempts: 8, visibilityTimeout: Duration.minutes(12) });
 * ```
 */
class RetryQueues extends Construct {
  readonly retryQueue: Queue;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: RetryQueuesProps = {}) {
    super(scope, id);
    // The DLQ allows redrive from the retry queue only, and the retry queue names the DLQ as its
    // redrive target: referencing each other's ARNs would be a circular dependency, so the retry
    // queue gets a fixed name and the DLQ names it by an ARN built from that name.
    const stack = Stack.of(this);
    const retryQueueName = `${stack.stackName}-retry`;
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      ...SECURE_QUEUE_DEFAULTS,
      queueName: `${stack.stackName}-dlq`,
      retentionPeriod: DLQ_RETENTION,
      redriveAllowPolicy: {
        redrivePermission: RedrivePermission.BY_QUEUE,
        sourceQueues: [
          Queue.fromQueueArn(
            this,
            'RetryQueueRef',
            stack.formatArn({ service: 'sqs', resource: retryQueueName }),
          ),
        ],
      },
    });
    this.retryQueue = new Queue(this, 'RetryQueue', {
      ...SECURE_QUEUE_DEFAULTS,
      queueName: retryQueueName,
      retentionPeriod: RETRY_QUEUE_RETENTION,
      visibilityTimeout: props.visibilityTimeout ?? DEFAULT_RETRY_VISIBILITY_TIMEOUT,
      deadLetterQueue: {
        queue: this.deadLetterQueue,
        maxReceiveCount: maxReceiveCount(props.maxAttempts ?? DEFAULT_MAX_ATTEMPTS),
      },
    });
  }
}

export type { RetryQueuesProps };
export { RetryQueues };
