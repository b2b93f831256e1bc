import type { Duration } from 'aws-cdk-lib';
import { SqsEventSource, type SqsEventSourceProps } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { grantKafkaWrite, type KafkaWriteTarget } from '../kafka-consumer/msk-iam.ts';
import { PipelineFunction, type VpcPlacement } from '../pipeline-function/index.ts';
import {
  DEFAULT_RETRY_BATCH_SIZE,
  DEFAULT_RETRY_MAX_CONCURRENCY,
  DEFAULT_RETRY_WORKER_MEMORY_MB,
  DEFAULT_RETRY_WORKER_TIMEOUT,
} from './defaults.ts';

/** A Kafka topic the worker produces dead letters to, and how it reaches the cluster. */
type KafkaDeadLetterTopic = KafkaWriteTarget;

interface RetryWorkerProps {
  /** The queue the worker consumes (receive, delete, change visibility). */
  readonly retryQueue: IQueue;
  /** The worker sends dead letters here. @default - no SQS dead letters (a Kafka DLQ topic only) */
  readonly deadLetterQueue?: IQueue;
  /** @default - none */
  readonly kafkaDeadLetterTopic?: KafkaDeadLetterTopic;
  /** The function's runtime configuration (see `toLambdaEnvironment`). */
  readonly environment: Readonly<Record<string, string>>;
  /** The retry queue's visibility must be at least 6 × this. @default Duration.seconds(60) */
  readonly timeout?: Duration;
  /** @default 512 */
  readonly memorySize?: number;
  /**
   * The SQS event source, in CDK's own terms. `reportBatchItemFailures` is always on: the worker
   * reports the messages it defers.
   * @default - batchSize 10, maxConcurrency 5
   */
  readonly sqsEventSourceProps?: Omit<SqsEventSourceProps, 'reportBatchItemFailures'>;
  /**
   * Network placement, needed when the worker produces to a Kafka DLQ topic reachable only inside
   * a VPC (MSK).
   * @default - not in a VPC
   */
  readonly vpc?: VpcPlacement;
}

/**
 * The retry worker: an SQS event source on the retry queue with `ReportBatchItemFailures` and
 * `MaximumConcurrency` (the retry pool; SQS event sources ignore reserved concurrency). It may
 * consume the retry queue (receive, delete, change visibility) and send to the DLQ, or produce to
 * the Kafka DLQ topic, nothing else. Fixed: Node 24 on arm64 with its own log group and role
 * ({@link PipelineFunction}).
 *
 * @example
 * ```ts
 * new RetryWorker(this, 'RetryWorker', { environment, retryQueue, deadLetterQueue });
 * ```
 */
class RetryWorker extends Construct {
  readonly pipelineFunction: PipelineFunction;
  readonly eventSource: SqsEventSource;

  constructor(scope: Construct, id: string, props: RetryWorkerProps) {
    super(scope, id);
    this.pipelineFunction = new PipelineFunction(this, 'RetryWorker', {
      functionDir: 'retry-worker',
      timeout: props.timeout ?? DEFAULT_RETRY_WORKER_TIMEOUT,
      memorySize: props.memorySize ?? DEFAULT_RETRY_WORKER_MEMORY_MB,
      environment: props.environment,
      vpc: props.vpc,
      kafkaDeadLetters: props.kafkaDeadLetterTopic !== undefined,
    });
    const fn = this.pipelineFunction.lambdaFunction;
    this.eventSource = new SqsEventSource(props.retryQueue, {
      batchSize: DEFAULT_RETRY_BATCH_SIZE,
      maxConcurrency: DEFAULT_RETRY_MAX_CONCURRENCY,
      ...props.sqsEventSourceProps,
      reportBatchItemFailures: true,
    });
    fn.addEventSource(this.eventSource);
    props.deadLetterQueue?.grantSendMessages(fn);
    if (props.kafkaDeadLetterTopic) grantKafkaWrite(this.pipelineFunction.role, props.kafkaDeadLetterTopic);
  }
}

export type { KafkaDeadLetterTopic, RetryWorkerProps };
export { RetryWorker };
