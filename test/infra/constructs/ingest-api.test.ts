import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { describe, expect, it } from 'vitest';
import { IngestApi } from '../../../infra/constructs/ingest-api/index.ts';
import { bareStack, CLUSTER_ARN, placement, statements, TOPIC_ARN_PREFIX } from './bare-stack.ts';

/** Statements whose actions start with a prefix, e.g. `kafka-cluster:`. */
function statementsFor(template: Template, prefix: string) {
  return statements(template).filter((s) => [s.Action].flat().some((a) => a.startsWith(prefix)));
}

describe('IngestApi', () => {
  it('routes POST /events to the function with payload format 2.0 and IAM authorization by default', () => {
    // Prepare
    const stack = bareStack();
    // Act
    new IngestApi(stack, 'Ingest', { kafka: { topic: 'orders' }, environment: {} });
    // Assess
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'POST /events',
      AuthorizationType: 'AWS_IAM',
    });
    template.resourceCountIs('AWS::ApiGatewayV2::Route', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
    });
  });

  it('takes a JWT authorizer in CDK terms instead', () => {
    const stack = bareStack();
    new IngestApi(stack, 'Ingest', {
      kafka: { topic: 'orders' },
      environment: {},
      authorizer: new HttpJwtAuthorizer('Jwt', 'https://idp.example.com', { jwtAudience: ['eventpipe'] }),
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { AuthorizationType: 'JWT' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Issuer: 'https://idp.example.com', Audience: ['eventpipe'] },
    });
  });

  it('throttles the $default stage, 100 requests/s with a burst of 200 by default', () => {
    const stack = bareStack();
    new IngestApi(stack, 'Ingest', { kafka: { topic: 'orders' }, environment: {} });
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
    });
  });

  it('writes JSON access logs without any body to its own log group', () => {
    // Prepare
    const stack = bareStack();
    // Act
    new IngestApi(stack, 'Ingest', { kafka: { topic: 'orders' }, environment: {} });
    // Assess
    const template = Template.fromStack(stack);
    const stage = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'))[0];
    const { DestinationArn, Format } = stage?.Properties.AccessLogSettings ?? {};
    expect(DestinationArn).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^IngestAccessLogs/), 'Arn'] });
    const fields = JSON.parse(Format) as Record<string, string>;
    expect(fields).toMatchObject({
      requestId: '$context.requestId',
      status: '$context.status',
      routeKey: '$context.routeKey',
      authorizerError: '$context.authorizer.error',
    });
    expect(Format).not.toMatch(/body|\$input|requestOverride/i);
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it('gives the function reserved concurrency (10 by default) and a 10 s timeout', () => {
    const stack = bareStack();
    new IngestApi(stack, 'Ingest', { kafka: { topic: 'orders' }, environment: { A: 'b' } });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      ReservedConcurrentExecutions: 10,
      Timeout: 10,
      MemorySize: 512,
      VpcConfig: Match.absent(),
      Environment: { Variables: { A: 'b', NODE_OPTIONS: '--enable-source-maps' } },
    });
  });

  it('takes throttling, concurrency, timeout and a VPC placement from its props', () => {
    const stack = bareStack();
    new IngestApi(stack, 'Ingest', {
      kafka: { topic: 'orders' },
      environment: {},
      throttle: { rateLimit: 5, burstLimit: 10 },
      reservedConcurrentExecutions: 2,
      timeout: Duration.seconds(20),
      vpc: placement(stack),
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      ReservedConcurrentExecutions: 2,
      Timeout: 20,
      VpcConfig: { SubnetIds: ['subnet-0abc1234'], SecurityGroupIds: ['sg-0abc1234'] },
    });
  });

  it('with MSK IAM, may connect and write idempotently on the cluster and write the source topic only', () => {
    // Prepare
    const stack = bareStack();
    // Act
    new IngestApi(stack, 'Ingest', {
      kafka: { topic: 'orders', mskClusterArn: CLUSTER_ARN, iamAuth: true },
      environment: {},
    });
    // Assess
    const template = Template.fromStack(stack);
    expect(statementsFor(template, 'kafka')).toEqual([
      expect.objectContaining({ Action: 'kafka:GetBootstrapBrokers', Resource: CLUSTER_ARN }),
      expect.objectContaining({
        Action: [
          'kafka-cluster:Connect',
          'kafka-cluster:DescribeClusterDynamicConfiguration',
          'kafka-cluster:WriteDataIdempotently',
        ],
        Resource: CLUSTER_ARN,
      }),
      expect.objectContaining({
        Action: ['kafka-cluster:DescribeTopic', 'kafka-cluster:WriteData'],
        Resource: `${TOPIC_ARN_PREFIX}/orders`,
      }),
    ]);
    expect(statementsFor(template, 'kafka-cluster:ReadData')).toEqual([]);
  });

  it('with SASL/SCRAM, may read the secret and nothing of MSK IAM', () => {
    const stack = bareStack();
    const secret = Secret.fromSecretCompleteArn(
      stack,
      'Secret',
      'arn:aws:secretsmanager:eu-west-1:123456789012:secret:AmazonMSK_eventpipe-AbCdEf',
    );
    new IngestApi(stack, 'Ingest', {
      kafka: { topic: 'orders', mskClusterArn: CLUSTER_ARN, secret },
      environment: {},
    });
    const template = Template.fromStack(stack);
    expect(statementsFor(template, 'secretsmanager:')).toHaveLength(1);
    expect(statementsFor(template, 'kafka-cluster:')).toEqual([]);
  });

  it('grants execute-api:Invoke on POST /events of its stage only', () => {
    // Prepare
    const stack = bareStack();
    const api = new IngestApi(stack, 'Ingest', { kafka: { topic: 'orders' }, environment: {} });
    const caller = new Role(stack, 'Caller', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    // Act
    api.grantInvoke(caller);
    // Assess
    const [invoke] = statementsFor(Template.fromStack(stack), 'execute-api:');
    expect(invoke?.Action).toBe('execute-api:Invoke');
    expect(JSON.stringify(invoke?.Resource)).toMatch(/\/\$default\/POST\/events"/);
  });
});
