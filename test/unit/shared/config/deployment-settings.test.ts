import { describe, expect, it } from 'vitest';
import { type DeploymentSettingsInput, parseDeploymentSettings } from '#shared/config/deployment-settings.ts';

const CLUSTER_ARN =
  'arn:aws:kafka:eu-west-1:123456789012:cluster/orders/6f1c5e8a-1d2b-4c3d-9e8f-0a1b2c3d4e5f-2';

const base: DeploymentSettingsInput = {
  source: { kind: 'msk', clusterArn: CLUSTER_ARN, auth: 'iam' },
  topic: 'orders',
  consumerGroupId: 'eventpipe-orders',
};
const provisioned = { provisionedPollers: { min: 1, max: 4 } };
const vpc = {
  vpcId: 'vpc-0abc1234',
  subnetIds: ['subnet-0a1b2c3d'],
  availabilityZones: ['eu-west-1a'],
  securityGroupId: 'sg-0a1b2c3d',
};

/** The one collected message `parseDeploymentSettings` throws for these settings. */
function problemsOf(overrides: Partial<DeploymentSettingsInput>): string {
  try {
    parseDeploymentSettings({ ...base, ...overrides });
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the settings were accepted');
}

const TOPIC_RULE = 'a Kafka topic name: 2–249 characters from a-z A-Z 0-9 . _ -, not starting with "."';

describe('parseDeploymentSettings: topic names', () => {
  // CloudFormation's pattern for AWS::Lambda::EventSourceMapping Topics is ^[^.]([a-zA-Z0-9\-_.]+)
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lambda-eventsourcemapping.html#cfn-lambda-eventsourcemapping-topics
  it.each([
    ['a source topic starting with "."', { topic: '.orders' }, 'topic'],
    ['a one-character source topic', { topic: 'o' }, 'topic'],
    ['a source topic of 250 characters', { topic: 'o'.repeat(250) }, 'topic'],
    ['a source topic with a space', { topic: 'new orders' }, 'topic'],
    [
      'a DLQ topic starting with "."',
      { dlqTarget: 'kafka' as const, dlqTopic: '.dlq', functionVpc: vpc },
      'dlqTopic',
    ],
    [
      'a one-character DLQ topic',
      { dlqTarget: 'kafka' as const, dlqTopic: 'd', functionVpc: vpc },
      'dlqTopic',
    ],
    [
      'an on-failure topic starting with "."',
      { ...provisioned, errorControls: { onFailure: { kind: 'kafka' as const, topic: '.failed' } } },
      'errorControls.onFailure.topic',
    ],
    [
      'an on-failure topic with characters Kafka refuses',
      { ...provisioned, errorControls: { onFailure: { kind: 'kafka' as const, topic: 'failed/batches' } } },
      'errorControls.onFailure.topic',
    ],
  ])('rejects %s with the one topic-name rule', (_, overrides, path) => {
    expect(problemsOf(overrides)).toBe(`invalid eventpipe settings: ${path}: ${TOPIC_RULE}`);
  });

  it.each([
    ['two characters', 'ab'],
    ['249 characters', 'o'.repeat(249)],
    ['a leading "_" or "-" and inner dots', '_orders.v1-eu'],
  ])('accepts a topic of %s', (_, topic) => {
    expect(parseDeploymentSettings({ ...base, topic }).topic).toBe(topic);
  });

  // "Lambda prevents infinite loops by blocking configurations where the source and destination
  // topics are the same." https://docs.aws.amazon.com/lambda/latest/dg/kafka-on-failure-destination.html
  it('rejects an on-failure topic equal to the source topic', () => {
    expect(
      problemsOf({ ...provisioned, errorControls: { onFailure: { kind: 'kafka', topic: 'orders' } } }),
    ).toBe(
      'invalid eventpipe settings: errorControls.onFailure.topic: must differ from the source topic (Lambda refuses it)',
    );
  });

  it('rejects a DLQ topic equal to the source topic', () => {
    expect(problemsOf({ dlqTarget: 'both', dlqTopic: 'orders', functionVpc: vpc })).toBe(
      'invalid eventpipe settings: dlqTopic: must differ from the source topic (dead letters would be consumed again)',
    );
  });

  it('rejects a default DLQ topic name that would be too long', () => {
    expect(problemsOf({ topic: 'o'.repeat(247), dlqTarget: 'kafka', functionVpc: vpc })).toBe(
      'invalid eventpipe settings: dlqTopic: the default ".dlq" name is longer than 249 characters: set dlqTopic',
    );
  });

  it('reports every topic problem, and the others, in one message', () => {
    expect(
      problemsOf({
        topic: '.orders',
        dlqTarget: 'kafka',
        dlqTopic: 'd',
        errorControls: { onFailure: { kind: 'kafka', topic: 'x' } },
      }),
    ).toBe(
      [
        `invalid eventpipe settings: topic: ${TOPIC_RULE}`,
        `errorControls.onFailure.topic: ${TOPIC_RULE}`,
        `dlqTopic: ${TOPIC_RULE}`,
        'errorControls: ESM error controls (retries, bisect, on-failure destination) need provisioned mode: set provisionedPollers',
        'functionVpc: a Kafka DLQ topic on MSK needs the functions in the cluster VPC: set functionVpc',
      ].join('; '),
    );
  });
});

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:AmazonMSK_eventpipe-AbCdEf';

/**
 * Every rule of the Lambda, SQS, SNS and MSK documentation that the settings can break, each with
 * the exact text the one collected message carries. Sources:
 * - Kafka ESM: https://docs.aws.amazon.com/lambda/latest/dg/with-kafka-configure.html,
 *   kafka-retry-configurations.html, kafka-on-failure.html, kafka-scaling-modes.html
 * - CDK: aws-lambda-event-sources README ("Available in provisioned mode only", "Observability
 *   features (LogLevel and MetricsConfig) are only available when using provisioned mode")
 * - SQS ESM: https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html (visibility
 *   ≥ 6 × timeout), services-sqs-scaling.html (MaximumConcurrency 2–1000)
 * - SQS: API_SendMessage.html (DelaySeconds ≤ 900), API_ChangeMessageVisibility.html (≤ 12 h)
 * - Lambda: gettingstarted-limits.html (timeout ≤ 900 s, memory 128–10,240 MB, 6 MB payload)
 * - MSK: https://docs.aws.amazon.com/msk/latest/developerguide/msk-password.html (AmazonMSK_)
 */
describe('parseDeploymentSettings: deploy rules', () => {
  it.each<[string, Partial<DeploymentSettingsInput>, string]>([
    [
      'error controls (bisect, retries, record age) on demand',
      {
        errorControls: {
          retryAttempts: 2,
          bisectBatchOnError: true,
          maxRecordAgeSeconds: 600,
          onFailure: { kind: 's3' },
        },
      },
      'errorControls: ESM error controls (retries, bisect, on-failure destination) need provisioned mode: set provisionedPollers',
    ],
    [
      'an S3 on-failure destination on demand',
      { errorControls: { onFailure: { kind: 's3' } } },
      'errorControls: ESM error controls (retries, bisect, on-failure destination) need provisioned mode: set provisionedPollers',
    ],
    [
      'a Kafka on-failure destination on demand',
      { errorControls: { onFailure: { kind: 'kafka', topic: 'orders.failed' } } },
      'errorControls: ESM error controls (retries, bisect, on-failure destination) need provisioned mode: set provisionedPollers',
    ],
    [
      'ESM metrics on demand',
      { esmMetrics: ['KafkaMetrics'] },
      'esmMetrics: ESM metrics and log level (MetricsConfig, LogLevel) need provisioned mode: set provisionedPollers',
    ],
    [
      'an ESM log level on demand',
      { esmLogLevel: 'DEBUG' },
      'esmLogLevel: ESM metrics and log level (MetricsConfig, LogLevel) need provisioned mode: set provisionedPollers',
    ],
    [
      'an empty ESM metrics list',
      { ...provisioned, esmMetrics: [] },
      'esmMetrics: Too small: expected array to have >=1 items',
    ],
    [
      'more minimum than maximum pollers',
      { provisionedPollers: { min: 5, max: 2 } },
      'provisionedPollers: min must not exceed max',
    ],
    [
      'over 200 minimum pollers',
      { provisionedPollers: { min: 201, max: 300 } },
      'provisionedPollers.min: Too big: expected number to be <=200',
    ],
    [
      'over 2,000 maximum pollers',
      { provisionedPollers: { min: 1, max: 2_001 } },
      'provisionedPollers.max: Too big: expected number to be <=2000',
    ],
    [
      'ESM retries beyond 10,000',
      { ...provisioned, errorControls: { retryAttempts: 10_001, onFailure: { kind: 's3' } } },
      'errorControls.retryAttempts: Too big: expected number to be <=10000',
    ],
    [
      'a maximum record age under 60 s',
      { ...provisioned, errorControls: { maxRecordAgeSeconds: 59, onFailure: { kind: 's3' } } },
      'errorControls.maxRecordAgeSeconds: Too small: expected number to be >=60',
    ],
    [
      'a consumer timeout over 14 minutes (Kafka)',
      { consumer: { timeoutSeconds: 841 } },
      'consumer.timeoutSeconds: a Kafka-triggered function may run at most 840 s (14 minutes)',
    ],
    [
      'a retry worker timeout over 15 minutes',
      { retryWorker: { timeoutSeconds: 901 } },
      'retryWorker.timeoutSeconds: Too big: expected number to be <=900',
    ],
    [
      'consumer memory over 10,240 MB',
      { consumer: { memoryMb: 10_241 } },
      'consumer.memoryMb: Too big: expected number to be <=10240',
    ],
    [
      'a retry queue visibility under 6 × the worker timeout',
      { retryWorker: { timeoutSeconds: 120 }, retryQueueVisibilitySeconds: 719 },
      'retryQueueVisibilitySeconds: must be at least 6 × the retry worker timeout (720 s)',
    ],
    [
      'a retry queue visibility over 12 hours',
      { retryQueueVisibilitySeconds: 43_201 },
      'retryQueueVisibilitySeconds: Too big: expected number to be <=43200',
    ],
    [
      'an SQS max concurrency under 2',
      { retryWorker: { concurrency: 1 } },
      'retryWorker.concurrency: Too small: expected number to be >=2',
    ],
    [
      'an SQS max concurrency over 1,000',
      { retryWorker: { concurrency: 1_001 } },
      'retryWorker.concurrency: Too big: expected number to be <=1000',
    ],
    [
      'an SQS batch over 10 without a window',
      { retryWorker: { batchSize: 11 } },
      'retryWorker.batchSize: Too big: expected number to be <=10',
    ],
    ['a Kafka batch over 10,000', { batchSize: 10_001 }, 'batchSize: Too big: expected number to be <=10000'],
    [
      'a batching window over 300 s',
      { maxBatchingWindowSeconds: 301 },
      'maxBatchingWindowSeconds: Too big: expected number to be <=300',
    ],
    [
      'a record size limit over the 6 MB payload',
      { maxRecordBytes: 6 * 1024 * 1024 + 1 },
      'maxRecordBytes: Too big: expected number to be <=6291456',
    ],
    [
      'a first backoff over SQS DelaySeconds (900 s)',
      { backoffBaseSeconds: 901 },
      'backoffBaseSeconds: Too big: expected number to be <=900',
    ],
    [
      'a backoff cap over the 12-hour visibility',
      { backoffCapSeconds: 43_201 },
      'backoffCapSeconds: Too big: expected number to be <=43200',
    ],
    [
      'a consumer group id with characters CloudFormation refuses',
      { consumerGroupId: 'orders group' },
      'consumerGroupId: a Kafka consumer group id: 1–200 characters from a-z A-Z 0-9 . _ : -',
    ],
    [
      'a consumer group id over 200 characters',
      { consumerGroupId: 'g'.repeat(201) },
      'consumerGroupId: a Kafka consumer group id: 1–200 characters from a-z A-Z 0-9 . _ : -',
    ],
    [
      'AT_TIMESTAMP without a timestamp',
      { startingPosition: 'AT_TIMESTAMP' },
      'startingPositionTimestamp: required when startingPosition is AT_TIMESTAMP',
    ],
    [
      'a timestamp without AT_TIMESTAMP',
      { startingPositionTimestamp: 1_767_225_600 },
      'startingPositionTimestamp: only with startingPosition AT_TIMESTAMP',
    ],
    [
      'MSK SCRAM without a secret',
      { source: { kind: 'msk', clusterArn: CLUSTER_ARN, auth: 'scram' } },
      'source.secretArn: required for SASL/SCRAM authentication on MSK',
    ],
    [
      'an MSK SCRAM secret not named AmazonMSK_…',
      {
        source: {
          kind: 'msk',
          clusterArn: CLUSTER_ARN,
          auth: 'scram',
          secretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:eventpipe-AbCdEf',
        },
      },
      "source.secretArn: an MSK SCRAM secret's name must start with AmazonMSK_",
    ],
    [
      'self-managed SCRAM without a secret',
      { source: { kind: 'self-managed', bootstrapServers: ['k:9096'], auth: 'sasl-scram-256', vpc } },
      'source.secretArn: required for sasl-scram-256 authentication',
    ],
    [
      'self-managed Kafka without a VPC and without a secret',
      { source: { kind: 'self-managed', bootstrapServers: ['k:9092'], auth: 'none' } },
      'source.vpc: required with auth "none": without SASL the brokers are reached through a VPC',
    ],
    [
      // The secret is not used with auth "none", and CDK's SelfManagedKafkaEventSource throws
      // without a secret and without a VPC.
      'self-managed Kafka with auth "none", a secret and no VPC',
      { source: { kind: 'self-managed', bootstrapServers: ['k:9092'], auth: 'none', secretArn: SECRET_ARN } },
      'source.vpc: required with auth "none": without SASL the brokers are reached through a VPC',
    ],
    [
      'VPC ids in formats CloudFormation refuses',
      {
        functionVpc: {
          vpcId: 'vpc-main',
          subnetIds: ['subnet-a'],
          availabilityZones: ['west'],
          securityGroupId: 'sg-kafka',
        },
      },
      [
        'functionVpc.vpcId: a VPC id: vpc- and 8 to 17 hex digits',
        'functionVpc.subnetIds.0: a subnet id: subnet- and 8 to 17 hex digits',
        'functionVpc.availabilityZones.0: an availability zone name, e.g. eu-west-1a',
        'functionVpc.securityGroupId: a security group id: sg- and 8 to 17 hex digits',
      ].join('; '),
    ],
    [
      'a VPC whose subnets do not spread evenly over its zones',
      {
        functionVpc: {
          ...vpc,
          subnetIds: ['subnet-0a1b2c3d', 'subnet-0b1c2d3e', 'subnet-0c1d2e3f'],
          availabilityZones: ['eu-west-1a', 'eu-west-1b'],
        },
      },
      'functionVpc.subnetIds: give the same number of subnets in each of the availabilityZones (a multiple of their count)',
    ],
    [
      'a Kafka DLQ topic on MSK without the functions in its VPC',
      { dlqTarget: 'kafka' },
      'functionVpc: a Kafka DLQ topic on MSK needs the functions in the cluster VPC: set functionVpc',
    ],
    [
      'a Kafka DLQ topic with self-managed SASL/PLAIN',
      {
        source: {
          kind: 'self-managed',
          bootstrapServers: ['k:9096'],
          auth: 'sasl-plain',
          secretArn: SECRET_ARN,
        },
        dlqTarget: 'both',
      },
      'dlqTarget: a Kafka DLQ topic supports self-managed auth "none" or "sasl-scram-512", not "sasl-plain"',
    ],
    [
      'an alarm address that is not an e-mail',
      { alarms: { notificationEmail: 'oncall' } },
      'alarms.notificationEmail: Invalid email address',
    ],
  ])('rejects %s', (_, overrides, message) => {
    expect(problemsOf(overrides)).toBe(`invalid eventpipe settings: ${message}`);
  });

  it('accepts every provisioned-mode control together', () => {
    const settings = parseDeploymentSettings({
      ...base,
      provisionedPollers: { min: 1, max: 10 },
      esmMetrics: ['EventCount', 'ErrorCount'],
      esmLogLevel: 'INFO',
      errorControls: { retryAttempts: -1, maxRecordAgeSeconds: -1, onFailure: { kind: 's3' } },
      startingPosition: 'AT_TIMESTAMP',
      startingPositionTimestamp: 1_767_225_600,
    });
    expect(settings.errorControls).toEqual({
      retryAttempts: -1,
      bisectBatchOnError: true,
      maxRecordAgeSeconds: -1,
      onFailure: { kind: 's3' },
    });
  });

  it('collects problems of different fields into one message, in field order', () => {
    expect(
      problemsOf({
        batchSize: 0,
        retryWorker: { concurrency: 1 },
        startingPosition: 'AT_TIMESTAMP',
        esmLogLevel: 'WARN',
      }),
    ).toBe(
      [
        'invalid eventpipe settings: batchSize: Too small: expected number to be >=1',
        'retryWorker.concurrency: Too small: expected number to be >=2',
        'esmLogLevel: ESM metrics and log level (MetricsConfig, LogLevel) need provisioned mode: set provisionedPollers',
        'startingPositionTimestamp: required when startingPosition is AT_TIMESTAMP',
      ].join('; '),
    );
  });
});

/**
 * The front door's rules. Sources: MSK is reached only from inside its VPC
 * (https://docs.aws.amazon.com/msk/latest/developerguide/client-access.html); an HTTP API
 * integration answers within 30 s (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html).
 */
describe('parseDeploymentSettings: ingest', () => {
  it('is off by default, with IAM authorization and the documented limits', () => {
    expect(parseDeploymentSettings(base).ingest).toEqual({
      enabled: false,
      throttling: { rateLimit: 100, burstLimit: 200 },
      reservedConcurrency: 10,
      timeoutSeconds: 10,
      memoryMb: 512,
      maxBodyBytes: 1_048_576,
      maxBatchEvents: 100,
      produceTimeoutMs: 5_000,
      retryAfterSeconds: 5,
      authorizer: { kind: 'iam' },
    });
  });

  it.each<[string, Partial<DeploymentSettingsInput>, string]>([
    [
      'an enabled front door on MSK without a VPC',
      { ingest: { enabled: true } },
      'ingest.vpc: an enabled front door produces to MSK, reachable only inside the cluster VPC: set ingest.vpc (or functionVpc)',
    ],
    [
      'a produce timeout as long as the function timeout',
      { ingest: { enabled: true, vpc, timeoutSeconds: 5, produceTimeoutMs: 5_000 } },
      'ingest.produceTimeoutMs: must be shorter than ingest.timeoutSeconds (the function answers 503 before it times out)',
    ],
    [
      'a function timeout past the HTTP API integration timeout',
      { ingest: { timeoutSeconds: 31 } },
      'ingest.timeoutSeconds: Too big: expected number to be <=30',
    ],
    [
      'a JWT authorizer without audience, on a plain-http issuer',
      { ingest: { authorizer: { kind: 'jwt', issuer: 'http://idp.example.com', audience: [] } } },
      'ingest.authorizer.issuer: an https URL; ingest.authorizer.audience: Too small: expected array to have >=1 items',
    ],
    [
      'a body limit past what a Lambda payload holds',
      { ingest: { maxBodyBytes: 5 * 1024 * 1024 } },
      'ingest.maxBodyBytes: Too big: expected number to be <=4194304',
    ],
  ])('refuses %s', (_, overrides, message) => {
    expect(problemsOf(overrides)).toBe(`invalid eventpipe settings: ${message}`);
  });

  it.each<[string, Partial<DeploymentSettingsInput>]>([
    ['on MSK with ingest.vpc', { ingest: { enabled: true, vpc } }],
    ['on MSK with functionVpc', { functionVpc: vpc, ingest: { enabled: true } }],
    [
      'on a self-managed cluster reached through its own vpc',
      {
        source: { kind: 'self-managed', bootstrapServers: ['b-1:9092'], auth: 'none', vpc },
        ingest: { enabled: true },
      },
    ],
    [
      'with a JWT authorizer',
      {
        ingest: {
          enabled: true,
          vpc,
          authorizer: { kind: 'jwt', issuer: 'https://idp.example.com', audience: ['eventpipe'] },
        },
      },
    ],
  ])('accepts an enabled front door %s', (_, overrides) => {
    expect(parseDeploymentSettings({ ...base, ...overrides }).ingest.enabled).toBe(true);
  });
});
