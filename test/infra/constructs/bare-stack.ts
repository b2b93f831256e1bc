import { App, Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { SecurityGroup, Subnet, Vpc } from 'aws-cdk-lib/aws-ec2';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import type { VpcPlacement } from '../../../infra/constructs/pipeline-function/index.ts';

/** A bare stack in a fixed account and region, with bundling skipped: the template is what is tested. */
function bareStack(): Stack {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  return new Stack(app, 'Bare', { env: { account: '123456789012', region: 'eu-west-1' } });
}

/** Two plain queues standing in for the retry queue and the DLQ. */
function queues(stack: Stack) {
  return { retryQueue: new Queue(stack, 'Retry'), deadLetterQueue: new Queue(stack, 'Dead') };
}

/** An inline function, for constructs that only read a function's metrics. */
function inlineFunction(stack: Stack, id: string) {
  return new LambdaFunction(stack, id, {
    runtime: Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: Code.fromInline('export const handler = async () => {};'),
  });
}

/** A VPC placement imported from ids, as the stack does. */
function placement(stack: Stack): VpcPlacement {
  return {
    vpc: Vpc.fromVpcAttributes(stack, 'Vpc', {
      vpcId: 'vpc-0abc1234',
      availabilityZones: ['eu-west-1a'],
      privateSubnetIds: ['subnet-0abc1234'],
    }),
    subnets: { subnets: [Subnet.fromSubnetId(stack, 'Subnet', 'subnet-0abc1234')] },
    securityGroup: SecurityGroup.fromSecurityGroupId(stack, 'Sg', 'sg-0abc1234'),
  };
}

/** Every IAM statement in the template, from every policy. */
function statements(template: Template): { Action: string | string[]; Resource: unknown }[] {
  return Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
    (policy) => policy.Properties.PolicyDocument.Statement,
  );
}

const CLUSTER_ARN =
  'arn:aws:kafka:eu-west-1:123456789012:cluster/orders/6f1c5e8a-1d2b-4c3d-9e8f-0a1b2c3d4e5f-2';
const TOPIC_ARN_PREFIX =
  'arn:aws:kafka:eu-west-1:123456789012:topic/orders/6f1c5e8a-1d2b-4c3d-9e8f-0a1b2c3d4e5f-2';

export { bareStack, CLUSTER_ARN, inlineFunction, placement, queues, statements, TOPIC_ARN_PREFIX };
