import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { Observability, type ObservabilityProps } from '../../../infra/constructs/observability/index.ts';
import { expectDashboardCharts } from '../dashboard.ts';
import { bareStack, inlineFunction, queues } from './bare-stack.ts';

function observability(overrides: Partial<ObservabilityProps> = {}) {
  const stack = bareStack();
  const construct = new Observability(stack, 'Observability', {
    consumer: inlineFunction(stack, 'Consumer'),
    retryWorker: inlineFunction(stack, 'Worker'),
    ...queues(stack),
    ...overrides,
  });
  return { construct, template: Template.fromStack(stack) };
}

describe('Observability', () => {
  it('defaults the alarms to any dead letter, 10,000 records of lag, 5 % errors and any throttle', () => {
    // Prepare, Act
    const { template } = observability();
    // Assess
    template.resourceCountIs('AWS::CloudWatch::Alarm', 6);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 1,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'OffsetLag',
      Threshold: 10_000,
      EvaluationPeriods: 5,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Throttles', Threshold: 1 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Threshold: 5, EvaluationPeriods: 3 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'EventPipe',
      MetricName: 'HandOffFailures',
      Dimensions: Match.arrayWith([{ Name: 'service', Value: 'eventpipe' }]),
    });
  });

  it('takes thresholds, namespace and service name', () => {
    const { template } = observability({
      alarms: { offsetLagThreshold: 500, errorRatePercent: undefined },
      metricsNamespace: 'Orders',
      serviceName: 'orders',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'OffsetLag', Threshold: 500 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Threshold: 5, EvaluationPeriods: 3 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'Orders',
      Dimensions: Match.arrayWith([{ Name: 'service', Value: 'orders' }]),
    });
  });

  it('notifies nobody without an e-mail address', () => {
    const { template, construct } = observability();
    expect(construct.topic).toBeUndefined();
    template.resourceCountIs('AWS::SNS::Topic', 0);
  });

  // Without the allow, the topic's policy (only the deny-non-TLS statement) drops every alarm.
  // https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html
  it('e-mails every alarm through a topic that CloudWatch alarms of this account may publish to', () => {
    const { template } = observability({ notificationEmail: 'oncall@example.com' });
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Condition: {
              StringEquals: { 'aws:SourceAccount': '123456789012' },
              ArnLike: { 'aws:SourceArn': Match.anyValue() },
            },
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'oncall@example.com',
    });
    for (const alarm of Object.values(template.findResources('AWS::CloudWatch::Alarm'))) {
      expect(alarm.Properties.AlarmActions).toHaveLength(1);
    }
  });

  it('charts our outcomes, the lag, throttles, concurrency, duration and both queues', () => {
    expectDashboardCharts(observability().template);
  });
});
