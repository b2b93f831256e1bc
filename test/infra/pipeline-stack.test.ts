import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { MSK_CLUSTER_ARN, SECRET_ARN, synth } from './synth.ts';

const vpc = {
  vpcId: 'vpc-0abc1234',
  subnetIds: ['subnet-0a1b2c3d', 'subnet-0b1c2d3e'],
  availabilityZones: ['eu-west-1a', 'eu-west-1b'],
  securityGroupId: 'sg-0a1b2c3d',
};

describe('PipelineStack with MSK (IAM)', () => {
  const { template } = synth();

  it('maps the topic to the consumer with the configured batching, group and position', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: MSK_CLUSTER_ARN,
      Topics: ['orders'],
      BatchSize: 500,
      MaximumBatchingWindowInSeconds: 2,
      StartingPosition: 'TRIM_HORIZON',
      AmazonManagedKafkaEventSourceConfig: { ConsumerGroupId: 'eventpipe-orders' },
    });
  });

  // "Observability features (LogLevel and MetricsConfig) are only available when using provisioned
  // mode" (aws-cdk-lib aws-lambda-event-sources README): an on-demand mapping gets neither.
  it('sets no ESM metrics or log level on the on-demand mapping', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      Topics: ['orders'],
      MetricsConfig: Match.absent(),
      LoggingConfig: Match.absent(),
      ProvisionedPollerConfig: Match.absent(),
    });
  });

  it('charts only the ESM metric that exists on demand: OffsetLag', () => {
    const body = JSON.stringify(template.findResources('AWS::CloudWatch::Dashboard'));
    const lambdaMetrics = [...body.matchAll(/\\"AWS\/Lambda\\",\\"([A-Za-z]+)\\"/g)].map((m) => m[1]);
    expect(new Set(lambdaMetrics)).toEqual(
      new Set(['OffsetLag', 'Throttles', 'ConcurrentExecutions', 'Duration', 'Errors']),
    );
  });

  it('makes reserved concurrency the worker pool of a Node 24 arm64 consumer', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      ReservedConcurrentExecutions: 8,
      Timeout: 60,
      Environment: {
        Variables: Match.objectLike({
          EVENTPIPE_MAX_ATTEMPTS: '5',
          EVENTPIPE_DLQ_TARGET: 'sqs',
          EVENTPIPE_KAFKA_AUTH: 'iam',
          EVENTPIPE_ROUTES: Match.stringLikeRegexp('order.placed'),
          NODE_OPTIONS: '--enable-source-maps',
        }),
      },
    });
  });

  it('runs the retry worker from the retry queue with partial batch failures and a concurrency cap', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('QueuesRetryQueue'), 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 4 },
      BatchSize: 10,
    });
  });

  it('encrypts both queues, sizes the retry queue visibility to 6 × the worker timeout and redrives to the DLQ', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'EventPipeTest-retry',
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 360,
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('QueuesDeadLetterQueue'), 'Arn'] },
        maxReceiveCount: 8,
      },
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'EventPipeTest-dlq',
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 1_209_600,
      RedriveAllowPolicy: {
        redrivePermission: 'byQueue',
        sourceQueueArns: [
          { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':EventPipeTest-retry$')])] },
        ],
      },
    });
  });

  it('denies non-TLS access to the queues', () => {
    template.resourceCountIs('AWS::SQS::QueuePolicy', 2);
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('ships the dashboard and the alarms', () => {
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 6);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'OffsetLag',
      Namespace: 'AWS/Lambda',
      Threshold: 10_000,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Throttles' });
    const body = JSON.stringify(template.findResources('AWS::CloudWatch::Dashboard'));
    for (const metric of [
      'Received',
      'Processed',
      'Retried',
      'DeadLettered',
      'OffsetLag',
      'Throttles',
      'ConcurrentExecutions',
      'p99',
      'ApproximateAgeOfOldestMessage',
    ]) {
      expect(body).toContain(metric);
    }
  });

  it('grants SQS actions on the two queues only, never on *', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (policy) =>
        (
          policy as {
            Properties: { PolicyDocument: { Statement: { Action: string | string[]; Resource: unknown }[] } };
          }
        ).Properties.PolicyDocument.Statement,
    );
    const sqsStatements = statements.filter((s) =>
      [s.Action].flat().some((action) => action.startsWith('sqs:')),
    );
    expect(sqsStatements.length).toBeGreaterThan(0);
    for (const statement of sqsStatements) {
      expect([statement.Resource].flat()).not.toContain('*');
      expect(JSON.stringify(statement.Resource)).toMatch(/Queues(RetryQueue|DeadLetterQueue)/);
    }
  });

  it('grants the MSK IAM data-plane actions on the cluster, topic and group ARNs', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['kafka-cluster:Connect', 'kafka-cluster:DescribeClusterDynamicConfiguration'],
            Resource: MSK_CLUSTER_ARN,
          }),
          Match.objectLike({
            Action: Match.arrayWith(['kafka-cluster:ReadData']),
            Resource:
              'arn:aws:kafka:eu-west-1:123456789012:topic/orders/6f1c5e8a-1d2b-4c3d-9e8f-0a1b2c3d4e5f-2/orders',
          }),
          Match.objectLike({
            Action: ['kafka-cluster:DescribeGroup', 'kafka-cluster:AlterGroup'],
            Resource:
              'arn:aws:kafka:eu-west-1:123456789012:group/orders/6f1c5e8a-1d2b-4c3d-9e8f-0a1b2c3d4e5f-2/eventpipe-orders',
          }),
        ]),
      },
    });
  });

  it('outputs the queues, functions, dashboard and the redrive instructions', () => {
    const outputs = template.findOutputs('*');
    expect(Object.keys(outputs).sort()).toEqual([
      'ConsumerFunctionName',
      'DashboardUrl',
      'DeadLetterQueueArn',
      'DeadLetterQueueUrl',
      'RedriveInstructions',
      'RetryQueueArn',
      'RetryQueueUrl',
      'RetryWorkerFunctionName',
    ]);
    expect(JSON.stringify(outputs.RedriveInstructions)).toContain('start-message-move-task');
  });
});

describe('PipelineStack with alarm e-mails', () => {
  const { template } = synth({ alarms: { notificationEmail: 'oncall@example.com' } });

  // A topic policy that only denies non-TLS access lets nobody publish: CloudWatch needs an allow.
  // https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html
  it('lets CloudWatch alarms of this account and region publish to the alarm topic, over TLS only', () => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: { Ref: Match.stringLikeRegexp('ObservabilityAlarmTopic') },
            Condition: {
              StringEquals: { 'aws:SourceAccount': '123456789012' },
              ArnLike: {
                'aws:SourceArn': {
                  'Fn::Join': [
                    '',
                    ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:eu-west-1:123456789012:alarm:*'],
                  ],
                },
              },
            },
          }),
        ]),
      },
    });
  });

  it('lets CloudWatch use the topic key and sends every alarm to the topic', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'oncall@example.com',
    });
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms).toHaveLength(6);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([
        { Ref: expect.stringMatching(/ObservabilityAlarmTopic/) },
      ]);
    }
  });
});

describe('PipelineStack with provisioned pollers and error controls', () => {
  it('sets poller capacity, bisect, bounded retries and a Kafka on-failure topic', () => {
    const { template } = synth({
      provisionedPollers: { min: 2, max: 20 },
      errorControls: {
        retryAttempts: 5,
        bisectBatchOnError: true,
        maxRecordAgeSeconds: 3_600,
        onFailure: { kind: 'kafka', topic: 'orders.failed-batches' },
      },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: MSK_CLUSTER_ARN,
      ProvisionedPollerConfig: { MinimumPollers: 2, MaximumPollers: 20 },
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 5,
      MaximumRecordAgeInSeconds: 3_600,
      DestinationConfig: { OnFailure: { Destination: 'kafka://orders.failed-batches' } },
      MetricsConfig: { Metrics: ['EventCount', 'ErrorCount', 'KafkaMetrics'] },
    });
  });

  it('publishes the chosen ESM metrics and poller logs with provisioned pollers', () => {
    const { template } = synth({
      provisionedPollers: { min: 1, max: 4 },
      esmMetrics: ['EventCount'],
      esmLogLevel: 'WARN',
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      ProvisionedPollerConfig: { MinimumPollers: 1, MaximumPollers: 4 },
      MetricsConfig: { Metrics: ['EventCount'] },
      LoggingConfig: { SystemLogLevel: 'WARN' },
    });
  });

  // Lambda writes the on-failure topic with the function's role; under MSK IAM it needs these.
  // https://docs.aws.amazon.com/lambda/latest/dg/kafka-on-failure.html
  it('lets the consumer role describe and write the Kafka on-failure topic under MSK IAM', () => {
    const { template } = synth({
      provisionedPollers: { min: 1, max: 4 },
      errorControls: { onFailure: { kind: 'kafka', topic: 'orders.failed-batches' } },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['kafka-cluster:DescribeTopic', 'kafka-cluster:WriteData'],
            Resource:
              'arn:aws:kafka:eu-west-1:123456789012:topic/orders/6f1c5e8a-1d2b-4c3d-9e8f-0a1b2c3d4e5f-2/orders.failed-batches',
          }),
        ]),
      },
    });
  });

  it('can keep failed batches in an encrypted S3 bucket instead', () => {
    const { template } = synth({
      provisionedPollers: { min: 1, max: 5 },
      errorControls: { retryAttempts: 3, bisectBatchOnError: true, onFailure: { kind: 's3' } },
    });
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      PublicAccessBlockConfiguration: Match.objectLike({
        BlockPublicAcls: true,
        RestrictPublicBuckets: true,
      }),
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('OnFailureBucket'), 'Arn'] } },
      },
    });
  });
});

describe('PipelineStack with MSK SASL/SCRAM', () => {
  it('passes the secret to the event source and lets the role read only that secret', () => {
    const { template } = synth({
      source: { kind: 'msk', clusterArn: MSK_CLUSTER_ARN, auth: 'scram', secretArn: SECRET_ARN },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      SourceAccessConfigurations: [{ Type: 'SASL_SCRAM_512_AUTH', URI: SECRET_ARN }],
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: Match.arrayWith(['secretsmanager:GetSecretValue']),
            Resource: SECRET_ARN,
          }),
        ]),
      },
    });
  });
});

describe('PipelineStack with self-managed Kafka', () => {
  it('connects through the VPC with SASL/SCRAM and the consumer group', () => {
    const { template } = synth({
      source: {
        kind: 'self-managed',
        bootstrapServers: ['kafka-1.internal:9096', 'kafka-2.internal:9096'],
        auth: 'sasl-scram-512',
        secretArn: SECRET_ARN,
        vpc,
      },
      startingPosition: 'LATEST',
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      SelfManagedEventSource: {
        Endpoints: { KafkaBootstrapServers: ['kafka-1.internal:9096', 'kafka-2.internal:9096'] },
      },
      SelfManagedKafkaEventSourceConfig: { ConsumerGroupId: 'eventpipe-orders' },
      StartingPosition: 'LATEST',
      SourceAccessConfigurations: Match.arrayWith([
        { Type: 'SASL_SCRAM_512_AUTH', URI: SECRET_ARN },
        { Type: 'VPC_SECURITY_GROUP', URI: 'sg-0a1b2c3d' },
        { Type: 'VPC_SUBNET', URI: 'subnet-0a1b2c3d' },
        { Type: 'VPC_SUBNET', URI: 'subnet-0b1c2d3e' },
      ]),
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          EVENTPIPE_KAFKA_BROKERS: 'kafka-1.internal:9096,kafka-2.internal:9096',
          EVENTPIPE_KAFKA_AUTH: 'scram',
        }),
      },
    });
  });
});

describe('PipelineStack with self-managed Kafka in a VPC: network interfaces', () => {
  // checkov CKV_AWS_111 found Create/DeleteNetworkInterface granted on `*`; only Describe* needs it.
  it('lets the pollers create and delete ENIs only in the configured subnets and security group', () => {
    const { template } = synth({
      source: {
        kind: 'self-managed',
        bootstrapServers: ['kafka-1.internal:9096'],
        auth: 'sasl-scram-512',
        secretArn: SECRET_ARN,
        vpc,
      },
    });
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (policy) => policy.Properties.PolicyDocument.Statement as { Action: unknown; Resource: unknown }[],
    );
    const resourcesOf = (action: string) =>
      statements.filter((s) => [s.Action].flat().includes(action)).flatMap((s) => [s.Resource].flat());
    const eni = {
      'Fn::Join': [
        '',
        ['arn:', { Ref: 'AWS::Partition' }, ':ec2:eu-west-1:123456789012:network-interface/*'],
      ],
    };
    const arn = (resource: string) => ({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:ec2:eu-west-1:123456789012:${resource}`]],
    });
    expect(resourcesOf('ec2:CreateNetworkInterface')).toEqual([
      eni,
      arn('subnet/subnet-0a1b2c3d'),
      arn('subnet/subnet-0b1c2d3e'),
      arn('security-group/sg-0a1b2c3d'),
    ]);
    expect(resourcesOf('ec2:DeleteNetworkInterface')).toEqual([eni]);
    expect(resourcesOf('ec2:DescribeSubnets')).toEqual(['*']);
  });
});

describe('PipelineStack with a Kafka DLQ topic on MSK', () => {
  // A retry worker outside the VPC could never reach a VPC-only cluster to write dead letters.
  it('places both functions that talk to Kafka in the function VPC', () => {
    const { template } = synth({ dlqTarget: 'both', functionVpc: vpc });
    const functions = Object.values(template.findResources('AWS::Lambda::Function'));
    expect(functions).toHaveLength(2);
    for (const fn of functions) {
      expect(fn.Properties.VpcConfig).toEqual({
        SecurityGroupIds: ['sg-0a1b2c3d'],
        SubnetIds: ['subnet-0a1b2c3d', 'subnet-0b1c2d3e'],
      });
    }
  });

  it('lets the retry worker find the brokers and write the DLQ topic', () => {
    const { template } = synth({ dlqTarget: 'kafka', dlqTopic: 'orders-dead', functionVpc: vpc });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('RetryRetryWorkerRole') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'kafka:GetBootstrapBrokers', Resource: MSK_CLUSTER_ARN }),
          Match.objectLike({
            Action: ['kafka-cluster:DescribeTopic', 'kafka-cluster:WriteData'],
            Resource:
              'arn:aws:kafka:eu-west-1:123456789012:topic/orders/6f1c5e8a-1d2b-4c3d-9e8f-0a1b2c3d4e5f-2/orders-dead',
          }),
        ]),
      },
    });
  });
});

describe('invalid settings fail synth with a clear message', () => {
  it.each([
    [
      'ESM error controls without provisioned mode',
      {
        errorControls: {
          retryAttempts: 3,
          bisectBatchOnError: true,
          onFailure: { kind: 'kafka' as const, topic: 'orders.failed' },
        },
      },
      'errorControls: ESM error controls (retries, bisect, on-failure destination) need provisioned mode: set provisionedPollers',
    ],
    [
      'self-managed Kafka without a secret and without a VPC',
      { source: { kind: 'self-managed' as const, bootstrapServers: ['k:9092'], auth: 'none' as const } },
      'source.vpc: required with auth "none": without SASL the brokers are reached through a VPC',
    ],
    [
      'ESM metrics on an on-demand mapping',
      { esmMetrics: ['EventCount' as const] },
      'esmMetrics: ESM metrics and log level (MetricsConfig, LogLevel) need provisioned mode: set provisionedPollers',
    ],
    [
      // CDK's KafkaDlq threw a TypeError of its own for this before the schema checked topic names.
      'an on-failure topic name Kafka refuses',
      {
        provisionedPollers: { min: 1, max: 2 },
        errorControls: { onFailure: { kind: 'kafka' as const, topic: 'failed batches' } },
      },
      'errorControls.onFailure.topic: a Kafka topic name: 2–249 characters from a-z A-Z 0-9 . _ -, not starting with "."',
    ],
    [
      'an on-failure topic equal to the source topic',
      {
        provisionedPollers: { min: 1, max: 2 },
        errorControls: { onFailure: { kind: 'kafka' as const, topic: 'orders' } },
      },
      'errorControls.onFailure.topic: must differ from the source topic (Lambda refuses it)',
    ],
    ['a batch size over 10,000', { batchSize: 10_001 }, 'batchSize: Too big: expected number to be <=10000'],
    [
      'a consumer timeout over 14 minutes',
      { consumer: { timeoutSeconds: 900 } },
      'consumer.timeoutSeconds: a Kafka-triggered function may run at most 840 s (14 minutes)',
    ],
    [
      'a retry queue visibility under 6 × the worker timeout',
      { retryQueueVisibilitySeconds: 300 },
      'retryQueueVisibilitySeconds: must be at least 6 × the retry worker timeout (360 s)',
    ],
    [
      'a deadline margin as long as the retry worker timeout',
      { retryWorker: { timeoutSeconds: 3 } },
      'deadlineMarginMs: must be shorter than the retry worker timeout',
    ],
  ])('rejects %s', (_, overrides, message) => {
    expect(() => synth(overrides)).toThrow(`invalid eventpipe settings: ${message}`);
  });
});

describe('cdk-nag AwsSolutions checks', () => {
  it.each([
    ['MSK IAM with alarm e-mails', {}],
    [
      'MSK SCRAM with an S3 on-failure bucket',
      {
        source: {
          kind: 'msk' as const,
          clusterArn: MSK_CLUSTER_ARN,
          auth: 'scram' as const,
          secretArn: SECRET_ARN,
        },
        provisionedPollers: { min: 1, max: 4 },
        errorControls: { retryAttempts: 2, bisectBatchOnError: true, onFailure: { kind: 's3' as const } },
      },
    ],
    [
      'self-managed in a VPC with a Kafka DLQ',
      {
        source: {
          kind: 'self-managed' as const,
          bootstrapServers: ['k:9096'],
          auth: 'sasl-scram-512' as const,
          secretArn: SECRET_ARN,
          vpc,
        },
        dlqTarget: 'both' as const,
        functionVpc: vpc,
      },
    ],
    ['MSK IAM with the front door (IAM authorization)', { ingest: { enabled: true, vpc } }],
    [
      'MSK IAM with the front door (JWT authorizer)',
      {
        ingest: {
          enabled: true,
          vpc,
          authorizer: { kind: 'jwt' as const, issuer: 'https://idp.example.com', audience: ['eventpipe'] },
        },
      },
    ],
  ])('finds no unacknowledged error for %s', (_, overrides) => {
    expect(() => synth({ ...overrides, alarms: { notificationEmail: 'oncall@example.com' } })).not.toThrow();
  });

  it('fails synth when something insecure is added (the check is live)', async () => {
    const { Queue } = await import('aws-cdk-lib/aws-sqs');
    expect(() => synth({}, { extend: (stack) => void new Queue(stack, 'Plaintext') })).toThrow(
      /AwsSolutions-SQS4/,
    );
  });
});

describe('PipelineStack with the HTTP front door', () => {
  it('builds no API while ingest is off (the default)', () => {
    const { template } = synth();
    template.resourceCountIs('AWS::ApiGatewayV2::Api', 0);
  });

  it('builds the API, produces to the source topic and outputs the events URL when enabled', () => {
    // Act
    const { template } = synth({
      ingest: { enabled: true, vpc, reservedConcurrency: 4, throttling: { rateLimit: 30, burstLimit: 60 } },
    });
    // Assess
    template.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      DefaultRouteSettings: { ThrottlingRateLimit: 30, ThrottlingBurstLimit: 60 },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      ReservedConcurrentExecutions: 4,
      Environment: {
        Variables: Match.objectLike({
          EVENTPIPE_TOPIC: 'orders',
          EVENTPIPE_MSK_CLUSTER_ARN: MSK_CLUSTER_ARN,
          EVENTPIPE_KAFKA_AUTH: 'iam',
        }),
      },
      VpcConfig: { SubnetIds: vpc.subnetIds, SecurityGroupIds: [vpc.securityGroupId] },
    });
    expect(Object.keys(template.findOutputs('IngestUrl'))).toEqual(['IngestUrl']);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'IngestUnavailable',
      Dimensions: Match.arrayWith([{ Name: 'function', Value: 'ingest' }]),
      Threshold: 1,
    });
  });

  it('authorizes with the JWT issuer and audience from the settings', () => {
    const { template } = synth({
      ingest: {
        enabled: true,
        vpc,
        authorizer: { kind: 'jwt', issuer: 'https://idp.example.com', audience: ['eventpipe'] },
      },
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      JwtConfiguration: { Issuer: 'https://idp.example.com', Audience: ['eventpipe'] },
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'POST /events',
      AuthorizationType: 'JWT',
    });
  });
});
