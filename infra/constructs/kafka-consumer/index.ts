import { type Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IEventSourceDlq } from 'aws-cdk-lib/aws-lambda';
import {
  type AuthenticationMethod,
  KafkaDlq,
  type KafkaEventSourceProps,
  ManagedKafkaEventSource,
  S3OnFailureDestination,
  SelfManagedKafkaEventSource,
} from 'aws-cdk-lib/aws-lambda-event-sources';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { PipelineFunction, type VpcPlacement } from '../pipeline-function/index.ts';
import {
  DEFAULT_CONSUMER_MEMORY_MB,
  DEFAULT_CONSUMER_RESERVED_CONCURRENCY,
  DEFAULT_CONSUMER_TIMEOUT,
  DEFAULT_PROVISIONED_METRICS,
} from './defaults.ts';
import { mskIamStatements } from './msk-iam.ts';

/** An Amazon MSK cluster: IAM authentication unless a SASL/SCRAM-512 secret is given (as CDK's). */
interface MskSource {
  readonly kind: 'msk';
  readonly clusterArn: string;
  /** @default - IAM authentication; the role gets the data-plane `kafka-cluster:*` actions it needs */
  readonly secret?: ISecret;
}

/** Self-managed Kafka, reached through a VPC, with SASL credentials, or both. */
interface SelfManagedSource {
  readonly kind: 'self-managed';
  readonly bootstrapServers: readonly string[];
  /** @default - no authentication (only with a `vpc`) */
  readonly authenticationMethod?: AuthenticationMethod;
  /** SASL credentials. @default - none (then `vpc` is required) */
  readonly secret?: ISecret;
  /** Where the mapping's pollers connect from. @default - the public internet */
  readonly vpc?: VpcPlacement;
}

type KafkaSource = MskSource | SelfManagedSource;

/** Where the mapping sends a failed batch once its retries are spent (provisioned mode only). */
type OnFailureTarget =
  /** A topic in the same cluster, written by Lambda with the function's role. */
  | { readonly kind: 'kafka'; readonly topic: string }
  /** A bucket the construct creates: encrypted, private, TLS only, versioned, retained. */
  | { readonly kind: 's3' };

interface KafkaConsumerProps {
  /** The cluster the mapping polls. */
  readonly source: KafkaSource;
  /**
   * The mapping, in CDK's own terms (topic, group, position, batching, provisioned pollers, error
   * controls, metrics). Error controls, `metricsConfig` and `logLevel` need
   * `provisionedPollerConfig`; the construct checks it.
   * @default metricsConfig - every metric group with provisioned pollers, none on demand
   */
  readonly kafkaEventSourceProps: Omit<KafkaEventSourceProps, 'onFailure' | 'secret'>;
  /** @default - failed batches are retried until they succeed or expire (no destination) */
  readonly onFailure?: OnFailureTarget;
  /** The function's runtime configuration (see `toLambdaEnvironment`). */
  readonly environment: Readonly<Record<string, string>>;
  /** The function sends retries here. */
  readonly retryQueue: IQueue;
  /** The function sends dead letters here. @default - no SQS dead letters (a Kafka DLQ topic only) */
  readonly deadLetterQueue?: IQueue;
  /**
   * A Kafka DLQ topic the function produces to, in the same cluster. Under MSK IAM the role may
   * describe and write it.
   * @default - none
   */
  readonly deadLetterTopic?: string;
  /** At most 14 minutes for a Kafka-triggered function. @default Duration.seconds(60) */
  readonly timeout?: Duration;
  /** @default 1024 */
  readonly memorySize?: number;
  /** The worker pool: at most this many batches in flight. @default 10 */
  readonly reservedConcurrentExecutions?: number;
  /**
   * The function's own network placement: needed to reach brokers that are only reachable inside
   * a VPC (a Kafka DLQ topic on MSK).
   * @default - not in a VPC
   */
  readonly vpc?: VpcPlacement;
}

/**
 * Props that CDK accepts but Lambda refuses, checked together and reported in one message.
 * https://docs.aws.amazon.com/lambda/latest/dg/kafka-on-failure-destination.html
 */
function checkKafkaConsumerProps(props: KafkaConsumerProps): void {
  const problems: string[] = [];
  const esm = props.kafkaEventSourceProps;
  if (!esm.provisionedPollerConfig) {
    const provisionedOnly = [
      ['retryAttempts', esm.retryAttempts],
      ['bisectBatchOnError', esm.bisectBatchOnError],
      ['maxRecordAge', esm.maxRecordAge],
      ['reportBatchItemFailures', esm.reportBatchItemFailures],
      ['metricsConfig', esm.metricsConfig],
      ['logLevel', esm.logLevel],
      ['onFailure', props.onFailure],
    ].filter(([, value]) => value !== undefined);
    if (provisionedOnly.length > 0) {
      problems.push(
        `${provisionedOnly.map(([name]) => name).join(', ')} need provisioned mode: set kafkaEventSourceProps.provisionedPollerConfig`,
      );
    }
  }
  if (props.onFailure?.kind === 'kafka' && props.onFailure.topic === esm.topic) {
    problems.push('the on-failure topic must differ from the source topic');
  }
  if (props.source.kind === 'self-managed' && !props.source.secret && !props.source.vpc) {
    problems.push('self-managed Kafka needs a secret, a vpc, or both');
  }
  if (problems.length > 0) throw new Error(`KafkaConsumer: ${problems.join('; ')}`);
}

/**
 * The consumer function and its Kafka event source mapping. Reserved concurrency is the worker
 * pool and the backpressure; batch size and window shape invocations; with provisioned pollers
 * the mapping's own error controls (bounded retries, bisect, on-failure destination) catch
 * batches that crash the function. The function may send only to the retry queue and the DLQ.
 * Fixed: Node 24 on arm64 with its own log group and role ({@link PipelineFunction}).
 *
 * @example
 * ```ts
 * new KafkaConsumer(this, 'Consumer', {
 *   source: { kind: 'msk', clusterArn },
 *   kafkaEventSourceProps: { topic: 'orders', startingPosition: StartingPosition.TRIM_HORIZON },
 *   environment,
 *   retryQueue,
 *   deadLetterQueue,
 * });
 * ```
 */
class KafkaConsumer extends Construct {
  readonly pipelineFunction: PipelineFunction;
  readonly eventSource: ManagedKafkaEventSource | SelfManagedKafkaEventSource;
  readonly onFailureBucket?: Bucket;

  constructor(scope: Construct, id: string, props: KafkaConsumerProps) {
    super(scope, id);
    checkKafkaConsumerProps(props);
    this.pipelineFunction = new PipelineFunction(this, 'Consumer', {
      functionDir: 'kafka-consumer',
      timeout: props.timeout ?? DEFAULT_CONSUMER_TIMEOUT,
      memorySize: props.memorySize ?? DEFAULT_CONSUMER_MEMORY_MB,
      reservedConcurrentExecutions:
        props.reservedConcurrentExecutions ?? DEFAULT_CONSUMER_RESERVED_CONCURRENCY,
      environment: props.environment,
      vpc: props.vpc,
      kafkaDeadLetters: props.deadLetterTopic !== undefined,
    });
    const fn = this.pipelineFunction.lambdaFunction;
    props.retryQueue.grantSendMessages(fn);
    props.deadLetterQueue?.grantSendMessages(fn);

    this.onFailureBucket = props.onFailure?.kind === 's3' ? createOnFailureBucket(this) : undefined;
    if (this.onFailureBucket) acknowledgeOnFailureBucketGrant(this.pipelineFunction, this.onFailureBucket);
    const onFailure: IEventSourceDlq | undefined =
      props.onFailure?.kind === 'kafka'
        ? new KafkaDlq(props.onFailure.topic)
        : this.onFailureBucket
          ? new S3OnFailureDestination(this.onFailureBucket)
          : undefined;
    const esm = props.kafkaEventSourceProps;
    const common: KafkaEventSourceProps = {
      ...esm,
      // MetricsConfig and LogLevel exist only in provisioned mode (CDK aws-lambda-event-sources README).
      metricsConfig:
        esm.metricsConfig ??
        (esm.provisionedPollerConfig ? { metrics: DEFAULT_PROVISIONED_METRICS } : undefined),
      onFailure,
    };
    this.eventSource =
      props.source.kind === 'msk'
        ? this.mskSource(props.source, common, props)
        : this.selfManagedSource(props.source, common);
    fn.addEventSource(this.eventSource);
  }

  private mskSource(
    source: MskSource,
    common: KafkaEventSourceProps,
    props: KafkaConsumerProps,
  ): ManagedKafkaEventSource {
    const role = this.pipelineFunction.role;
    if (!source.secret) {
      // The Kafka DLQ topic (our code) and the ESM's on-failure topic (Lambda, with this role).
      const writeTopics = [
        ...(props.deadLetterTopic ? [props.deadLetterTopic] : []),
        ...(props.onFailure?.kind === 'kafka' ? [props.onFailure.topic] : []),
      ];
      for (const statement of mskIamStatements(Stack.of(this), source.clusterArn, {
        readTopic: common.topic,
        group: common.consumerGroupId,
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
    return new ManagedKafkaEventSource({ ...common, clusterArn: source.clusterArn, secret: source.secret });
  }

  private selfManagedSource(
    source: SelfManagedSource,
    common: KafkaEventSourceProps,
  ): SelfManagedKafkaEventSource {
    const placement = source.vpc;
    if (placement) this.grantNetworkInterfaces(placement);
    return new SelfManagedKafkaEventSource({
      ...common,
      bootstrapServers: [...source.bootstrapServers],
      ...(source.secret ? { secret: source.secret, authenticationMethod: source.authenticationMethod } : {}),
      ...(placement
        ? { vpc: placement.vpc, vpcSubnets: placement.subnets, securityGroup: placement.securityGroup }
        : {}),
    });
  }

  /**
   * The ESM's pollers create ENIs in the cluster's subnets with the function's role. Creating and
   * deleting them is scoped to this account and region's network interfaces and to the configured
   * subnets and security group; only the Describe* actions, which have no resource-level
   * permissions, stay on `*`.
   * https://docs.aws.amazon.com/lambda/latest/dg/with-kafka-vpc.html (execution role permissions)
   * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html
   */
  private grantNetworkInterfaces(placement: VpcPlacement): void {
    const stack = Stack.of(this);
    const ec2Arn = (resource: string, resourceName: string) =>
      stack.formatArn({ service: 'ec2', resource, resourceName });
    const networkInterfaces = ec2Arn('network-interface', '*');
    const { role } = this.pipelineFunction;
    role.addToPolicy(
      new PolicyStatement({
        actions: ['ec2:CreateNetworkInterface'],
        resources: [
          networkInterfaces,
          ...placement.vpc.selectSubnets(placement.subnets).subnetIds.map((id) => ec2Arn('subnet', id)),
          ec2Arn('security-group', placement.securityGroup.securityGroupId),
        ],
      }),
    );
    role.addToPolicy(
      new PolicyStatement({ actions: ['ec2:DeleteNetworkInterface'], resources: [networkInterfaces] }),
    );
    role.addToPolicy(
      new PolicyStatement({
        actions: [
          'ec2:DescribeNetworkInterfaces',
          'ec2:DescribeVpcs',
          'ec2:DescribeSubnets',
          'ec2:DescribeSecurityGroups',
        ],
        resources: ['*'],
      }),
    );
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'EC2 Describe* actions have no resource-level permissions; the ESM needs them to find the subnets and security group it places its ENIs in.',
    });
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ec2:${nagValue(stack.region, '<AWS::Region>')}:${nagValue(stack.account, '<AWS::AccountId>')}:network-interface/*]`,
      reason:
        "The ESM's ENIs do not exist before it creates them: any network interface of this account and region.",
    });
  }
}

/** How cdk-nag spells a value in a finding's id: the literal, or the pseudo parameter it stands for. */
function nagValue(value: string, pseudo: string): string {
  return Token.isUnresolved(value) ? pseudo : value;
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

export type { KafkaConsumerProps, KafkaSource, MskSource, OnFailureTarget, SelfManagedSource };
export { KafkaConsumer };
