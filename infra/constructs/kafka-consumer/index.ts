import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import {
  EventSourceMappingLogLevel,
  type IEventSourceDlq,
  MetricType,
  StartingPosition,
} from 'aws-cdk-lib/aws-lambda';
import {
  AuthenticationMethod,
  KafkaDlq,
  type KafkaEventSourceProps,
  ManagedKafkaEventSource,
  S3OnFailureDestination,
  SelfManagedKafkaEventSource,
} from 'aws-cdk-lib/aws-lambda-event-sources';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket } from 'aws-cdk-lib/aws-s3';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  type DeploymentSettings,
  esmMetricGroups,
  kafkaDlqTopic,
} from '#shared/config/deployment-settings.ts';
import { DlqTarget } from '#shared/pipeline/constants.ts';
import { importVpcPlacement } from '../../import-vpc.ts';
import { PipelineFunction, type VpcPlacement } from '../pipeline-function/index.ts';
import { mskIamStatements } from './msk-iam.ts';

interface KafkaConsumerProps {
  readonly settings: DeploymentSettings;
  /** The function's runtime configuration (see `toLambdaEnvironment`). */
  readonly environment: Readonly<Record<string, string>>;
  readonly retryQueue: IQueue;
  readonly deadLetterQueue: IQueue;
  /**
   * The function's own network placement: needed to reach brokers that are only reachable inside
   * a VPC (a Kafka DLQ topic on MSK).
   * @default - not in a VPC
   */
  readonly vpc?: VpcPlacement;
}

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

/**
 * The consumer function and its Kafka event source mapping. Reserved concurrency is the worker
 * pool and the backpressure; batch size and window shape invocations; with provisioned pollers
 * the mapping's own error controls (bounded retries, bisect, on-failure destination) catch
 * batches that crash the function. The function may send only to the retry queue and the DLQ.
 *
 * @example
 * ```ts
 * new KafkaConsumer(this, 'Consumer', { settings, environment, retryQueue, deadLetterQueue });
 * ```
 */
class KafkaConsumer extends Construct {
  readonly pipelineFunction: PipelineFunction;
  readonly eventSource: ManagedKafkaEventSource | SelfManagedKafkaEventSource;
  readonly onFailureBucket?: Bucket;

  constructor(scope: Construct, id: string, props: KafkaConsumerProps) {
    super(scope, id);
    const { settings } = props;
    this.pipelineFunction = new PipelineFunction(this, 'Consumer', {
      functionDir: 'kafka-consumer',
      timeout: Duration.seconds(settings.consumer.timeoutSeconds),
      memorySize: settings.consumer.memoryMb,
      reservedConcurrentExecutions: settings.reservedConcurrency,
      environment: props.environment,
      vpc: props.vpc,
    });
    const fn = this.pipelineFunction.lambdaFunction;
    props.retryQueue.grantSendMessages(fn);
    if (settings.dlqTarget !== DlqTarget.KAFKA) props.deadLetterQueue.grantSendMessages(fn);

    const secret = settings.source.secretArn
      ? Secret.fromSecretCompleteArn(this, 'KafkaSecret', settings.source.secretArn)
      : undefined;
    const onFailureTarget = settings.errorControls?.onFailure;
    this.onFailureBucket = onFailureTarget?.kind === 's3' ? createOnFailureBucket(this) : undefined;
    if (this.onFailureBucket) acknowledgeOnFailureBucketGrant(this.pipelineFunction, this.onFailureBucket);
    const onFailure: IEventSourceDlq | undefined =
      onFailureTarget?.kind === 'kafka'
        ? new KafkaDlq(onFailureTarget.topic)
        : this.onFailureBucket
          ? new S3OnFailureDestination(this.onFailureBucket)
          : undefined;
    const metricGroups = esmMetricGroups(settings);
    const common: KafkaEventSourceProps = {
      topic: settings.topic,
      consumerGroupId: settings.consumerGroupId,
      startingPosition: StartingPosition[settings.startingPosition],
      startingPositionTimestamp: settings.startingPositionTimestamp,
      batchSize: settings.batchSize,
      maxBatchingWindow:
        settings.maxBatchingWindowSeconds === undefined
          ? undefined
          : Duration.seconds(settings.maxBatchingWindowSeconds),
      // MetricsConfig and LogLevel exist only in provisioned mode (CDK aws-lambda-event-sources README).
      ...(metricGroups.length > 0
        ? { metricsConfig: { metrics: metricGroups.map((m) => METRIC_TYPE[m]) } }
        : {}),
      ...(settings.provisionedPollers && settings.esmLogLevel
        ? { logLevel: EventSourceMappingLogLevel[settings.esmLogLevel] }
        : {}),
      ...(settings.provisionedPollers
        ? {
            provisionedPollerConfig: {
              minimumPollers: settings.provisionedPollers.min,
              maximumPollers: settings.provisionedPollers.max,
            },
          }
        : {}),
      ...(settings.errorControls
        ? {
            retryAttempts: settings.errorControls.retryAttempts,
            bisectBatchOnError: settings.errorControls.bisectBatchOnError,
            maxRecordAge:
              settings.errorControls.maxRecordAgeSeconds === undefined ||
              settings.errorControls.maxRecordAgeSeconds === -1
                ? undefined
                : Duration.seconds(settings.errorControls.maxRecordAgeSeconds),
            onFailure,
          }
        : {}),
    };
    this.eventSource =
      settings.source.kind === 'msk'
        ? this.mskSource(settings, settings.source, common, secret)
        : this.selfManagedSource(settings.source, common, secret);
    fn.addEventSource(this.eventSource);
  }

  private mskSource(
    settings: DeploymentSettings,
    source: Extract<DeploymentSettings['source'], { kind: 'msk' }>,
    common: KafkaEventSourceProps,
    secret: ISecret | undefined,
  ): ManagedKafkaEventSource {
    const role = this.pipelineFunction.role;
    if (source.auth === 'iam') {
      // The Kafka DLQ topic (our code) and the ESM's on-failure topic (Lambda, with this role).
      const onFailure = settings.errorControls?.onFailure;
      const writeTopics = [
        ...(settings.dlqTarget === DlqTarget.SQS ? [] : [kafkaDlqTopic(settings)]),
        ...(onFailure?.kind === 'kafka' ? [onFailure.topic] : []),
      ];
      for (const statement of mskIamStatements(Stack.of(this), source.clusterArn, {
        readTopic: settings.topic,
        group: settings.consumerGroupId,
        writeTopics,
      })) {
        role.addToPolicy(statement);
      }
    }
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaMSKExecutionRole]',
      reason:
        "Lambda's MSK event source polls with the function's role and must create ENIs in the cluster's VPC (ec2 actions that cannot be scoped); CDK attaches AWS's maintained AWSLambdaMSKExecutionRole for that.",
    });
    return new ManagedKafkaEventSource({
      ...common,
      clusterArn: source.clusterArn,
      secret: source.auth === 'scram' ? secret : undefined,
    });
  }

  private selfManagedSource(
    source: Extract<DeploymentSettings['source'], { kind: 'self-managed' }>,
    common: KafkaEventSourceProps,
    secret: ISecret | undefined,
  ): SelfManagedKafkaEventSource {
    const placement = source.vpc ? importVpcPlacement(this, 'KafkaVpc', source.vpc) : undefined;
    if (placement) {
      // The ESM's pollers create ENIs in the cluster's subnets with the function's role.
      this.pipelineFunction.role.addToPolicy(
        new PolicyStatement({
          actions: [
            'ec2:CreateNetworkInterface',
            'ec2:DescribeNetworkInterfaces',
            'ec2:DeleteNetworkInterface',
            'ec2:DescribeVpcs',
            'ec2:DescribeSubnets',
            'ec2:DescribeSecurityGroups',
          ],
          resources: ['*'],
        }),
      );
      Validations.of(this.pipelineFunction.role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'EC2 network-interface and Describe* actions do not support resource-level permissions; the ESM needs them to reach the brokers inside the VPC.',
      });
    }
    return new SelfManagedKafkaEventSource({
      ...common,
      bootstrapServers: source.bootstrapServers,
      ...(source.auth === 'none' ? {} : { secret, authenticationMethod: SELF_MANAGED_AUTH[source.auth] }),
      ...(placement
        ? { vpc: placement.vpc, vpcSubnets: placement.subnets, securityGroup: placement.securityGroup }
        : {}),
    });
  }
}

/** Failed batches kept for replay: encrypted, private, TLS only, versioned, kept on stack deletion. */
function createOnFailureBucket(scope: Construct): Bucket {
  const bucket = new Bucket(scope, 'OnFailureBucket', {
    encryption: BucketEncryption.S3_MANAGED,
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    versioned: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  Validations.of(bucket).acknowledge({
    id: 'AwsSolutions-S1',
    reason:
      'Only the event source mapping writes here (failed batches for replay); CloudTrail data events cover access auditing without a second logging bucket.',
  });
  return bucket;
}

/**
 * `S3OnFailureDestination` grants the execution role CDK's read/write set on the bucket (the ESM
 * writes failed batches with that role). The wildcards are action groups on this one bucket only.
 */
function acknowledgeOnFailureBucketGrant(fn: PipelineFunction, bucket: Bucket): void {
  const policy = fn.role.node.tryFindChild('DefaultPolicy') ?? fn.role;
  const bucketId = Stack.of(bucket).getLogicalId(bucket.node.defaultChild as CfnBucket);
  const findings = [
    'Action::s3:GetObject*',
    'Action::s3:GetBucket*',
    'Action::s3:List*',
    'Action::s3:DeleteObject*',
    'Action::s3:Abort*',
    `Resource::<${bucketId}.Arn>/*`,
  ];
  for (const finding of findings) {
    Validations.of(policy).acknowledge({
      id: `AwsSolutions-IAM5[${finding}]`,
      reason:
        "CDK's S3OnFailureDestination grant for the event source mapping's failed-batch bucket: scoped to that one bucket and its objects.",
    });
  }
}

export type { KafkaConsumerProps };
export { KafkaConsumer };
