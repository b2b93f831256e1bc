import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { EventSourceMappingLogLevel, MetricType, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { AuthenticationMethod } from 'aws-cdk-lib/aws-lambda-event-sources';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import {
  type DeploymentSettings,
  ingestVpc,
  retryQueueVisibility,
} from '#shared/config/deployment-settings.ts';
import { toIngestEnvironment } from '#shared/config/ingest-config.ts';
import { kafkaDlqTopic } from '#shared/config/pipeline-settings.ts';
import { toLambdaEnvironment } from '#shared/config/runtime-config.ts';
import { ingestFromDeployment, runtimeFromDeployment } from '#shared/config/runtime-from-deployment.ts';
import { DlqTarget } from '#shared/pipeline/constants.ts';
import { IngestApi } from './constructs/ingest-api/index.ts';
import {
  KafkaConsumer,
  type KafkaConsumerProps,
  type KafkaSource,
} from './constructs/kafka-consumer/index.ts';
import { Observability } from './constructs/observability/index.ts';
import type { VpcPlacement } from './constructs/pipeline-function/index.ts';
import { RetryQueues } from './constructs/retry-queues/index.ts';
import { RetryWorker } from './constructs/retry-worker/index.ts';
import { importVpcPlacement } from './import-vpc.ts';

interface PipelineStackProps extends StackProps {
  readonly settings: DeploymentSettings;
}

/** The settings' names for CDK's enums. */
const METRIC_TYPE = {
  EventCount: MetricType.EVENT_COUNT,
  ErrorCount: MetricType.ERROR_COUNT,
  KafkaMetrics: MetricType.KAFKA_METRICS,
} as const;
const SELF_MANAGED_AUTH = {
  'sasl-scram-512': AuthenticationMethod.SASL_SCRAM_512_AUTH,
  'sasl-scram-256': AuthenticationMethod.SASL_SCRAM_256_AUTH,
  'sasl-plain': AuthenticationMethod.BASIC_AUTH,
} as const;

/** Messages per second for the suggested CLI redrive; SQS allows up to 500. */
const SUGGESTED_REDRIVE_RATE = 50;

/**
 * The whole event pipeline, and the only reader of the deployment settings: it turns them into
 * each construct's own props. The pipeline: Kafka event source → consumer (reserved concurrency = worker pool) →
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
  /** The HTTP front door, when `ingest.enabled`. */
  readonly ingestApi?: IngestApi;

  constructor(scope: Construct, id: string, props: PipelineStackProps) {
    super(scope, id, props);
    const { settings } = props;
    this.queues = new RetryQueues(this, 'Queues', {
      maxAttempts: settings.maxAttempts,
      visibilityTimeout: Duration.seconds(retryQueueVisibility(settings)),
    });
    const { retryQueue, deadLetterQueue } = this.queues;
    const runtime = runtimeFromDeployment(settings, {
      retryQueueUrl: retryQueue.queueUrl,
      dlqUrl: deadLetterQueue.queueUrl,
    });
    const environment = toLambdaEnvironment(runtime);
    // Both functions talk to Kafka when dead letters go to a topic: both go in the VPC.
    const vpc = settings.functionVpc
      ? importVpcPlacement(this, 'FunctionVpc', settings.functionVpc)
      : undefined;
    const sqsDeadLetters = settings.dlqTarget !== DlqTarget.KAFKA ? deadLetterQueue : undefined;
    const deadLetterTopic = settings.dlqTarget !== DlqTarget.SQS ? kafkaDlqTopic(settings) : undefined;
    const secret = settings.source.secretArn
      ? Secret.fromSecretCompleteArn(this, 'KafkaSecret', settings.source.secretArn)
      : undefined;
    this.consumer = new KafkaConsumer(this, 'KafkaConsumer', {
      source: this.kafkaSource(settings, secret),
      kafkaEventSourceProps: kafkaEventSourceProps(settings),
      onFailure: settings.errorControls?.onFailure,
      environment,
      retryQueue,
      deadLetterQueue: sqsDeadLetters,
      deadLetterTopic,
      timeout: Duration.seconds(settings.consumer.timeoutSeconds),
      memorySize: settings.consumer.memoryMb,
      reservedConcurrentExecutions: settings.reservedConcurrency,
      vpc,
    });
    this.retryWorker = new RetryWorker(this, 'Retry', {
      environment,
      retryQueue,
      deadLetterQueue: sqsDeadLetters,
      kafkaDeadLetterTopic: deadLetterTopic
        ? {
            topic: deadLetterTopic,
            mskClusterArn: runtime.mskClusterArn,
            iamAuth: runtime.kafkaAuth === 'iam',
            secret,
          }
        : undefined,
      timeout: Duration.seconds(settings.retryWorker.timeoutSeconds),
      memorySize: settings.retryWorker.memoryMb,
      sqsEventSourceProps: {
        batchSize: settings.retryWorker.batchSize,
        maxConcurrency: settings.retryWorker.concurrency,
      },
      vpc,
    });
    if (settings.ingest.enabled) {
      const ingestRuntime = ingestFromDeployment(settings);
      this.ingestApi = new IngestApi(this, 'IngestApi', {
        kafka: {
          topic: settings.topic,
          mskClusterArn: ingestRuntime.mskClusterArn,
          iamAuth: ingestRuntime.kafkaAuth === 'iam',
          secret,
        },
        environment: toIngestEnvironment(ingestRuntime),
        authorizer: this.ingestAuthorizer(settings),
        throttle: settings.ingest.throttling,
        reservedConcurrentExecutions: settings.ingest.reservedConcurrency,
        timeout: Duration.seconds(settings.ingest.timeoutSeconds),
        memorySize: settings.ingest.memoryMb,
        // The functions' VPC when it is the one the settings name; else its own import.
        vpc: vpc && !settings.ingest.vpc ? vpc : placementOrUndefined(this, 'IngestVpc', ingestVpc(settings)),
      });
    }
    const { notificationEmail, ...alarmThresholds } = settings.alarms;
    this.observability = new Observability(this, 'Observability', {
      consumer: this.consumer.pipelineFunction.lambdaFunction,
      retryWorker: this.retryWorker.pipelineFunction.lambdaFunction,
      retryQueue,
      deadLetterQueue,
      metricsNamespace: settings.metricsNamespace,
      serviceName: settings.serviceName,
      alarms: alarmThresholds,
      notificationEmail,
      ingest: this.ingestApi
        ? { api: this.ingestApi.httpApi, fn: this.ingestApi.pipelineFunction.lambdaFunction }
        : undefined,
    });
    this.addOutputs();
  }

  /** The cluster the mapping polls, with the credentials its authentication needs. */
  private kafkaSource(settings: DeploymentSettings, secret: ISecret | undefined): KafkaSource {
    const { source } = settings;
    if (source.kind === 'msk') {
      return {
        kind: 'msk',
        clusterArn: source.clusterArn,
        secret: source.auth === 'scram' ? secret : undefined,
      };
    }
    return {
      kind: 'self-managed',
      bootstrapServers: source.bootstrapServers,
      ...(source.auth === 'none' ? {} : { secret, authenticationMethod: SELF_MANAGED_AUTH[source.auth] }),
      vpc: source.vpc ? importVpcPlacement(this, 'KafkaVpc', source.vpc) : undefined,
    };
  }

  /** IAM unless the settings choose a JWT authorizer (undefined: the construct's IAM default). */
  private ingestAuthorizer(settings: DeploymentSettings): HttpJwtAuthorizer | undefined {
    const { authorizer } = settings.ingest;
    if (authorizer.kind !== 'jwt') return undefined;
    return new HttpJwtAuthorizer('IngestJwt', authorizer.issuer, { jwtAudience: authorizer.audience });
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
    if (this.ingestApi) {
      output('IngestUrl', this.ingestApi.eventsUrl, 'POST CloudEvents here (the HTTP front door)');
    }
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

function placementOrUndefined(
  scope: Construct,
  id: string,
  placement: DeploymentSettings['functionVpc'],
): VpcPlacement | undefined {
  return placement ? importVpcPlacement(scope, id, placement) : undefined;
}

/**
 * The Kafka mapping in CDK's terms. ESM metrics and the poller log level exist only with
 * provisioned pollers (the schema refuses them otherwise); unset, the construct's default applies.
 */
function kafkaEventSourceProps(settings: DeploymentSettings): KafkaConsumerProps['kafkaEventSourceProps'] {
  const { provisionedPollers, errorControls } = settings;
  return {
    topic: settings.topic,
    consumerGroupId: settings.consumerGroupId,
    startingPosition: StartingPosition[settings.startingPosition],
    startingPositionTimestamp: settings.startingPositionTimestamp,
    batchSize: settings.batchSize,
    maxBatchingWindow:
      settings.maxBatchingWindowSeconds === undefined
        ? undefined
        : Duration.seconds(settings.maxBatchingWindowSeconds),
    ...(provisionedPollers
      ? {
          provisionedPollerConfig: {
            minimumPollers: provisionedPollers.min,
            maximumPollers: provisionedPollers.max,
          },
          metricsConfig: settings.esmMetrics
            ? { metrics: settings.esmMetrics.map((group) => METRIC_TYPE[group]) }
            : undefined,
          logLevel: settings.esmLogLevel ? EventSourceMappingLogLevel[settings.esmLogLevel] : undefined,
        }
      : {}),
    ...(errorControls
      ? {
          retryAttempts: errorControls.retryAttempts,
          bisectBatchOnError: errorControls.bisectBatchOnError,
          maxRecordAge:
            errorControls.maxRecordAgeSeconds === undefined || errorControls.maxRecordAgeSeconds === -1
              ? undefined
              : Duration.seconds(errorControls.maxRecordAgeSeconds),
        }
      : {}),
  };
}

export type { PipelineStackProps };
export { PipelineStack };
