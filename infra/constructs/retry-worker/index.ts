import { Duration, Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { type DeploymentSettings, kafkaDlqTopic } from '#shared/config/deployment-settings.ts';
import { DlqTarget } from '#shared/pipeline/constants.ts';
import { mskIamStatements } from '../kafka-consumer/msk-iam.ts';
import { PipelineFunction, type VpcPlacement } from '../pipeline-function/index.ts';

interface RetryWorkerProps {
  readonly settings: DeploymentSettings;
  readonly environment: Readonly<Record<string, string>>;
  readonly retryQueue: IQueue;
  readonly deadLetterQueue: IQueue;
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
 * consume the retry queue (receive, delete, change visibility) and send to the DLQ, nothing else.
 *
 * @example
 * ```ts
 * new RetryWorker(this, 'RetryWorker', { settings, environment, retryQueue, deadLetterQueue });
 * ```
 */
class RetryWorker extends Construct {
  readonly pipelineFunction: PipelineFunction;

  constructor(scope: Construct, id: string, props: RetryWorkerProps) {
    super(scope, id);
    const { settings } = props;
    this.pipelineFunction = new PipelineFunction(this, 'RetryWorker', {
      functionDir: 'retry-worker',
      timeout: Duration.seconds(settings.retryWorker.timeoutSeconds),
      memorySize: settings.retryWorker.memoryMb,
      environment: props.environment,
      vpc: props.vpc,
    });
    const fn = this.pipelineFunction.lambdaFunction;
    fn.addEventSource(
      new SqsEventSource(props.retryQueue, {
        batchSize: settings.retryWorker.batchSize,
        reportBatchItemFailures: true,
        maxConcurrency: settings.retryWorker.concurrency,
      }),
    );
    if (settings.dlqTarget !== DlqTarget.KAFKA) props.deadLetterQueue.grantSendMessages(fn);
    if (settings.dlqTarget !== DlqTarget.SQS) this.grantKafkaDlq(settings);
  }

  /** Producing dead letters to Kafka: broker discovery and write access to the DLQ topic only. */
  private grantKafkaDlq(settings: DeploymentSettings): void {
    const { source } = settings;
    const role = this.pipelineFunction.role;
    if (source.secretArn) Secret.fromSecretCompleteArn(this, 'KafkaSecret', source.secretArn).grantRead(role);
    if (source.kind !== 'msk') return;
    role.addToPolicy(
      new PolicyStatement({ actions: ['kafka:GetBootstrapBrokers'], resources: [source.clusterArn] }),
    );
    if (source.auth === 'iam') {
      const writeTopic = kafkaDlqTopic(settings);
      for (const statement of mskIamStatements(Stack.of(this), source.clusterArn, {
        writeTopics: [writeTopic],
      }))
        role.addToPolicy(statement);
    }
  }
}

export type { RetryWorkerProps };
export { RetryWorker };
