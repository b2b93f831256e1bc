import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, it } from 'vitest';
import { RetryQueues, type RetryQueuesProps } from '../../../infra/constructs/retry-queues/index.ts';
import { bareStack } from './bare-stack.ts';

/** The template of a bare stack holding only the construct. */
function retryQueues(props?: RetryQueuesProps): Template {
  const stack = bareStack();
  new RetryQueues(stack, 'Queues', props);
  return Template.fromStack(stack);
}

describe('RetryQueues', () => {
  it('defaults to a 6-minute visibility (6 × a 60 s worker) and 5 attempts (maxReceiveCount 8)', () => {
    // Prepare, Act
    const template = retryQueues();
    // Assess
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'Bare-retry',
      VisibilityTimeout: 360,
      MessageRetentionPeriod: 1_209_600,
      SqsManagedSseEnabled: true,
      RedrivePolicy: { deadLetterTargetArn: Match.anyValue(), maxReceiveCount: 8 },
    });
  });

  it('keeps dead letters 14 days, encrypted, and allows redrive from the retry queue only', () => {
    retryQueues().hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'Bare-dlq',
      MessageRetentionPeriod: 1_209_600,
      SqsManagedSseEnabled: true,
      RedriveAllowPolicy: {
        redrivePermission: 'byQueue',
        sourceQueueArns: [{ 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':Bare-retry$')])] }],
      },
    });
  });

  it('denies non-TLS access to both queues', () => {
    const template = retryQueues();
    template.resourceCountIs('AWS::SQS::QueuePolicy', 2);
    template.allResourcesProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: [
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ],
      },
    });
  });

  it('takes the attempt budget and the visibility timeout', () => {
    retryQueues({ maxAttempts: 10, visibilityTimeout: Duration.minutes(12) }).hasResourceProperties(
      'AWS::SQS::Queue',
      {
        VisibilityTimeout: 720,
        RedrivePolicy: { deadLetterTargetArn: Match.anyValue(), maxReceiveCount: 13 },
      },
    );
  });
});
