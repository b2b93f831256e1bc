import { Match, Template } from 'aws-cdk-lib/assertions';
import { EventSourceMappingLogLevel, MetricType, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { KafkaConsumer, type KafkaConsumerProps } from '../../../infra/constructs/kafka-consumer/index.ts';
import { bareStack, CLUSTER_ARN, placement, queues, statements, TOPIC_ARN_PREFIX } from './bare-stack.ts';

const esm = {
  topic: 'orders',
  consumerGroupId: 'eventpipe-orders',
  startingPosition: StartingPosition.TRIM_HORIZON,
};
const provisioned = { ...esm, provisionedPollerConfig: { minimumPollers: 1, maximumPollers: 4 } };

function consumer(overrides: Partial<KafkaConsumerProps> = {}) {
  const stack = bareStack();
  const construct = new KafkaConsumer(stack, 'Consumer', {
    source: { kind: 'msk', clusterArn: CLUSTER_ARN },
    kafkaEventSourceProps: esm,
    environment: {},
    ...queues(stack),
    ...overrides,
  });
  return { stack, construct, template: Template.fromStack(stack) };
}

describe('KafkaConsumer', () => {
  it('defaults to a 60 s, 1024 MB function whose reserved concurrency (10) is the worker pool', () => {
    // Prepare, Act
    const { template } = consumer();
    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Timeout: 60,
      MemorySize: 1_024,
      ReservedConcurrentExecutions: 10,
      VpcConfig: Match.absent(),
    });
  });

  // "Observability features (LogLevel and MetricsConfig) are only available when using provisioned
  // mode" (aws-cdk-lib aws-lambda-event-sources README).
  it('sets no ESM metrics, log level or error controls on an on-demand mapping', () => {
    const { template } = consumer();
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: CLUSTER_ARN,
      Topics: ['orders'],
      AmazonManagedKafkaEventSourceConfig: { ConsumerGroupId: 'eventpipe-orders' },
      MetricsConfig: Match.absent(),
      LoggingConfig: Match.absent(),
      ProvisionedPollerConfig: Match.absent(),
      DestinationConfig: Match.absent(),
    });
  });

  it('publishes every ESM metric group by default with provisioned pollers', () => {
    const { template } = consumer({ kafkaEventSourceProps: provisioned });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      ProvisionedPollerConfig: { MinimumPollers: 1, MaximumPollers: 4 },
      MetricsConfig: { Metrics: ['EventCount', 'ErrorCount', 'KafkaMetrics'] },
    });
  });

  it('takes CDK metrics and log level as given with provisioned pollers', () => {
    const { template } = consumer({
      kafkaEventSourceProps: {
        ...provisioned,
        metricsConfig: { metrics: [MetricType.ERROR_COUNT] },
        logLevel: EventSourceMappingLogLevel.DEBUG,
      },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      MetricsConfig: { Metrics: ['ErrorCount'] },
      LoggingConfig: { SystemLogLevel: 'DEBUG' },
    });
  });

  it('grants the MSK IAM data-plane actions on the cluster, the topic and the group', () => {
    const { template } = consumer();
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['kafka-cluster:Connect', 'kafka-cluster:DescribeClusterDynamicConfiguration'],
            Resource: CLUSTER_ARN,
          }),
          Match.objectLike({
            Action: [
              'kafka-cluster:DescribeTopic',
              'kafka-cluster:DescribeTopicDynamicConfiguration',
              'kafka-cluster:ReadData',
            ],
            Resource: `${TOPIC_ARN_PREFIX}/orders`,
          }),
          Match.objectLike({
            Action: ['kafka-cluster:DescribeGroup', 'kafka-cluster:AlterGroup'],
            Resource: `${TOPIC_ARN_PREFIX.replace(':topic/', ':group/')}/eventpipe-orders`,
          }),
        ]),
      },
    });
    expect(JSON.stringify(statements(template))).not.toContain('WriteData');
  });

  // Lambda writes failed batches to the on-failure topic with the function's role.
  // https://docs.aws.amazon.com/lambda/latest/dg/kafka-on-failure.html
  it('may write the on-failure topic and the DLQ topic under MSK IAM, in one statement', () => {
    const { template } = consumer({
      kafkaEventSourceProps: { ...provisioned, retryAttempts: 3, bisectBatchOnError: true },
      onFailure: { kind: 'kafka', topic: 'orders.failed' },
      deadLetterTopic: 'orders.dlq',
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['kafka-cluster:DescribeTopic', 'kafka-cluster:WriteData'],
            Resource: [`${TOPIC_ARN_PREFIX}/orders.dlq`, `${TOPIC_ARN_PREFIX}/orders.failed`],
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      MaximumRetryAttempts: 3,
      BisectBatchOnFunctionError: true,
      DestinationConfig: { OnFailure: { Destination: 'kafka://orders.failed' } },
    });
  });

  it('keeps failed batches in an encrypted, private, retained bucket when asked', () => {
    const { template, construct } = consumer({
      kafkaEventSourceProps: provisioned,
      onFailure: { kind: 's3' },
    });
    expect(construct.onFailureBucket).toBeDefined();
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: Match.objectLike({ BlockPublicAcls: true }),
      }),
    });
  });

  it('may send to the retry queue and the DLQ, and to the DLQ only when given', () => {
    const both = statements(consumer().template).filter((s) => [s.Action].flat().includes('sqs:SendMessage'));
    expect(both.map((s) => JSON.stringify(s.Resource))).toEqual([
      expect.stringMatching(/"Retry/),
      expect.stringMatching(/"Dead/),
    ]);
    const stack = bareStack();
    new KafkaConsumer(stack, 'Consumer', {
      source: { kind: 'msk', clusterArn: CLUSTER_ARN },
      kafkaEventSourceProps: esm,
      environment: {},
      retryQueue: queues(stack).retryQueue,
    });
    const retryOnly = statements(Template.fromStack(stack)).filter((s) =>
      [s.Action].flat().includes('sqs:SendMessage'),
    );
    expect(retryOnly.map((s) => JSON.stringify(s.Resource))).toEqual([expect.stringMatching(/"Retry/)]);
  });

  it('places the function in the given VPC', () => {
    const stack = bareStack();
    new KafkaConsumer(stack, 'Consumer', {
      source: { kind: 'msk', clusterArn: CLUSTER_ARN },
      kafkaEventSourceProps: esm,
      environment: {},
      ...queues(stack),
      vpc: placement(stack),
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      VpcConfig: { SecurityGroupIds: ['sg-0abc1234'], SubnetIds: ['subnet-0abc1234'] },
    });
  });

  it('refuses what Lambda refuses, every problem in one message', () => {
    expect(() =>
      consumer({
        kafkaEventSourceProps: {
          ...esm,
          retryAttempts: 2,
          metricsConfig: { metrics: [MetricType.EVENT_COUNT] },
        },
        onFailure: { kind: 'kafka', topic: 'orders' },
        source: { kind: 'self-managed', bootstrapServers: ['k:9092'] },
      }),
    ).toThrow(
      new Error(
        'KafkaConsumer: retryAttempts, metricsConfig, onFailure need provisioned mode: set kafkaEventSourceProps.provisionedPollerConfig; the on-failure topic must differ from the source topic; self-managed Kafka needs a secret, a vpc, or both',
      ),
    );
  });
});
