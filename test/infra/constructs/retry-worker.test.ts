import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { describe, expect, it } from 'vitest';
import { RetryWorker } from '../../../infra/constructs/retry-worker/index.ts';
import { bareStack, CLUSTER_ARN, placement, queues, statements, TOPIC_ARN_PREFIX } from './bare-stack.ts';

describe('RetryWorker', () => {
  it('defaults to a 60 s, 512 MB Node 24 arm64 function outside any VPC', () => {
    // Prepare
    const stack = bareStack();
    // Act
    new RetryWorker(stack, 'Worker', { environment: { A: 'b' }, ...queues(stack) });
    // Assess
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Timeout: 60,
      MemorySize: 512,
      VpcConfig: Match.absent(),
      Environment: { Variables: { A: 'b', NODE_OPTIONS: '--enable-source-maps' } },
    });
  });

  it('consumes the retry queue 10 at a time, 5 in parallel, reporting partial batch failures', () => {
    const stack = bareStack();
    new RetryWorker(stack, 'Worker', { environment: {}, ...queues(stack) });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Retry'), 'Arn'] },
      BatchSize: 10,
      ScalingConfig: { MaximumConcurrency: 5 },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('keeps partial batch failures on whatever SQS event source props it is given', () => {
    const stack = bareStack();
    new RetryWorker(stack, 'Worker', {
      environment: {},
      ...queues(stack),
      timeout: Duration.seconds(30),
      sqsEventSourceProps: { batchSize: 2, maxConcurrency: 20 },
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 2,
      ScalingConfig: { MaximumConcurrency: 20 },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    template.hasResourceProperties('AWS::Lambda::Function', { Timeout: 30 });
  });

  it('may consume the retry queue and send to the DLQ, on those two queues only', () => {
    const stack = bareStack();
    new RetryWorker(stack, 'Worker', { environment: {}, ...queues(stack) });
    const sqs = statements(Template.fromStack(stack)).filter((s) =>
      [s.Action].flat().some((a) => a.startsWith('sqs:')),
    );
    expect(sqs).toEqual([
      expect.objectContaining({
        Action: expect.arrayContaining([
          'sqs:ReceiveMessage',
          'sqs:ChangeMessageVisibility',
          'sqs:DeleteMessage',
        ]),
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^Retry/), 'Arn'] },
      }),
      expect.objectContaining({
        Action: expect.arrayContaining(['sqs:SendMessage']),
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^Dead/), 'Arn'] },
      }),
    ]);
  });

  it('sends nothing to SQS but the retry queue when dead letters go only to Kafka', () => {
    const stack = bareStack();
    const { retryQueue } = queues(stack);
    new RetryWorker(stack, 'Worker', {
      environment: {},
      retryQueue,
      kafkaDeadLetterTopic: { topic: 'orders.dlq' },
    });
    const sends = statements(Template.fromStack(stack)).filter((s) =>
      [s.Action].flat().includes('sqs:SendMessage'),
    );
    expect(sends).toEqual([]);
  });

  it('finds the MSK brokers and may write only the DLQ topic under MSK IAM, from inside the VPC', () => {
    const stack = bareStack();
    new RetryWorker(stack, 'Worker', {
      environment: {},
      ...queues(stack),
      kafkaDeadLetterTopic: { topic: 'orders.dlq', mskClusterArn: CLUSTER_ARN, iamAuth: true },
      vpc: placement(stack),
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'kafka:GetBootstrapBrokers', Resource: CLUSTER_ARN }),
          Match.objectLike({
            Action: ['kafka-cluster:Connect', 'kafka-cluster:DescribeClusterDynamicConfiguration'],
            Resource: CLUSTER_ARN,
          }),
          Match.objectLike({
            Action: ['kafka-cluster:DescribeTopic', 'kafka-cluster:WriteData'],
            Resource: `${TOPIC_ARN_PREFIX}/orders.dlq`,
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      VpcConfig: { SecurityGroupIds: ['sg-0abc1234'], SubnetIds: ['subnet-0abc1234'] },
    });
    expect(JSON.stringify(statements(template))).not.toContain('ReadData');
  });

  it('reads the SASL secret of a SCRAM cluster', () => {
    const stack = bareStack();
    const secretArn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:AmazonMSK_eventpipe-AbCdEf';
    new RetryWorker(stack, 'Worker', {
      environment: {},
      ...queues(stack),
      kafkaDeadLetterTopic: {
        topic: 'orders.dlq',
        mskClusterArn: CLUSTER_ARN,
        secret: Secret.fromSecretCompleteArn(stack, 'Secret', secretArn),
      },
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: Match.arrayWith(['secretsmanager:GetSecretValue']),
            Resource: secretArn,
          }),
        ]),
      },
    });
    expect(JSON.stringify(statements(template))).not.toContain('kafka-cluster:');
  });
});
