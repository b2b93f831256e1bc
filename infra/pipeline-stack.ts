import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { type DeploymentSettings, retryQueueVisibility } from '#shared/config/deployment-settings.ts';
import { toLambdaEnvironment } from '#shared/config/runtime-config.ts';
import { runtimeFromDeployment } from '#shared/config/runtime-from-deployment.ts';
import { KafkaConsumer } from './constructs/kafka-consumer/index.ts';
import { Observability } from './constructs/observability/index.ts';
import { RetryQueues } from './constructs/retry-queues/index.ts';
import { RetryWorker } from './constructs/retry-worker/index.ts';
import { importVpcPlacement } from './import-vpc.ts';

interface PipelineStackProps extends StackProps {
  readonly settings: DeploymentSettings;
}

/** Messages per second for the suggested CLI redrive; SQS allows up to 500. */
const SUGGESTED_REDRIVE_RATE = 50;

/**
 * The whole event pipeline: Kafka event source → consumer (reserved concurrency = worker pool) →
 * SQS retry queue → retry worker → dead-letter queue, with a dashboard and alarms.
 *
 * @example
 * ```ts
 * new PipelineStack(app, 'EventPipe', { settings: parseDeploymentSettings(app.node.tryGetContext('eventpipe')) });
 * ```
 */
class PipelineStack extends Stack {
  readonly queues: RetryQueues;
  readonly consumer: KafkaConsumer;
  readonly retryWorker: RetryWorker;
  readonly observability: Observability;

  constructor(scope: Construct, id: string, props: PipelineStackProps) {
    super(scope, id, props);
    const { settings } = props;
    this.queues = new RetryQueues(this, 'Queues', {
      maxAttempts: settings.maxAttempts,
      visibilityTimeout: Duration.seconds(retryQueueVisibility(settings)),
    });
    const { retryQueue, deadLetterQueue } = this.queues;
    const environment = toLambdaEnvironment(
      runtimeFromDeployment(settings, {
        retryQueueUrl: retryQueue.queueUrl,
        dlqUrl: deadLetterQueue.queueUrl,
      }),
    );
    // Both functions talk to Kafka when dead letters go to a topic: both go in the VPC.
    const vpc = settings.functionVpc
      ? importVpcPlacement(this, 'FunctionVpc', settings.functionVpc)
      : undefined;
    this.consumer = new KafkaConsumer(this, 'KafkaConsumer', {
      settings,
      environment,
      retryQueue,
      deadLetterQueue,
      vpc,
    });
    this.retryWorker = new RetryWorker(this, 'Retry', {
      settings,
      environment,
      retryQueue,
      deadLetterQueue,
      vpc,
    });
    this.observability = new Observability(this, 'Observability', {
      settings,
      consumer: this.consumer.pipelineFunction.lambdaFunction,
      retryWorker: this.retryWorker.pipelineFunction.lambdaFunction,
      retryQueue,
      deadLetterQueue,
    });
    this.addOutputs();
  }

  private addOutputs(): void {
    const { retryQueue, deadLetterQueue } = this.queues;
    const output = (id: string, value: string, description: string) =>
      new CfnOutput(this, id, { value, description });
    output('RetryQueueUrl', retryQueue.queueUrl, 'Retry queue (the retry worker consumes it)');
    output('RetryQueueArn', retryQueue.queueArn, 'Retry queue ARN: the destination of a DLQ redrive');
    output('DeadLetterQueueUrl', deadLetterQueue.queueUrl, 'Dead-letter queue');
    output('DeadLetterQueueArn', deadLetterQueue.queueArn, 'Dead-letter queue ARN: the source of a redrive');
    output(
      'ConsumerFunctionName',
      this.consumer.pipelineFunction.lambdaFunction.functionName,
      'Kafka consumer function',
    );
    output(
      'RetryWorkerFunctionName',
      this.retryWorker.pipelineFunction.lambdaFunction.functionName,
      'Retry worker function',
    );
    output(
      'DashboardUrl',
      `https://${this.region}.console.aws.amazon.com/cloudwatch/home?region=${this.region}#dashboards:name=${this.observability.dashboard.dashboardName}`,
      'CloudWatch dashboard',
    );
    output(
      'RedriveInstructions',
      `Console: SQS > ${deadLetterQueue.queueName} > Start DLQ redrive > Redrive to a custom destination > ${retryQueue.queueArn}. CLI: aws sqs start-message-move-task --source-arn ${deadLetterQueue.queueArn} --destination-arn ${retryQueue.queueArn} --max-number-of-messages-per-second ${SUGGESTED_REDRIVE_RATE}`,
      'How to redrive dead letters to the retry queue (always name the retry queue as the destination)',
    );
  }
}

export type { PipelineStackProps };
export { PipelineStack };
