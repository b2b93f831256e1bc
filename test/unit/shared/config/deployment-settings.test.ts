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
  vpcId: 'vpc-0abc',
  subnetIds: ['subnet-0a'],
  availabilityZones: ['eu-west-1a'],
  securityGroupId: 'sg-0kafka',
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
