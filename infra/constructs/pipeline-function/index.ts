import { join } from 'node:path';
import { type Duration, Stack, Validations } from 'aws-cdk-lib';
import type { ISecurityGroup, IVpc, SubnetSelection } from 'aws-cdk-lib/aws-ec2';
import { ManagedPolicy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import {
  bundlingFor,
  FUNCTION_ARCHITECTURE,
  FUNCTION_RUNTIME,
  LOG_RETENTION,
  PROJECT_ROOT,
} from './defaults.ts';

interface PipelineFunctionProps {
  /** The folder under `functions/` whose `handler.ts` is the entry point, e.g. `kafka-consumer`. */
  readonly functionDir: string;
  /** The invocation's time limit (a Kafka-triggered function: at most 14 minutes). */
  readonly timeout: Duration;
  /** In MB; more memory is more CPU. */
  readonly memorySize: number;
  /** The runtime configuration; `NODE_OPTIONS=--enable-source-maps` is added. */
  readonly environment: Readonly<Record<string, string>>;
  /** @default - not limited (account concurrency) */
  readonly reservedConcurrentExecutions?: number;
  /** @default - not in a VPC */
  readonly vpc?: VpcPlacement;
  /**
   * Whether the function produces dead letters to a Kafka topic: only then are the Kafka producer
   * and the MSK IAM signer bundled (they are most of the bundle and of the cold start).
   * @default false
   */
  readonly kafkaDeadLetters?: boolean;
}

/** Where a function (or an event source's pollers) runs: subnets of a VPC and one security group. */
interface VpcPlacement {
  readonly vpc: IVpc;
  readonly subnets: SubnetSelection;
  readonly securityGroup: ISecurityGroup;
}

/**
 * A product function with the secure defaults fixed: Node 24 on arm64, bundled by the local
 * esbuild, its own log group (one month), and its own role that may write only to that log group
 * (no `AWSLambdaBasicExecutionRole`); callers grant queue and Kafka access one call at a time.
 *
 * @example
 * ```ts
 * const fn = new PipelineFunction(this, 'Consumer', { functionDir: 'kafka-consumer', timeout: Duration.minutes(1), memorySize: 1024, environment });
 * ```
 */
class PipelineFunction extends Construct {
  readonly lambdaFunction: NodejsFunction;
  readonly role: Role;

  constructor(scope: Construct, id: string, props: PipelineFunctionProps) {
    super(scope, id);
    const logGroup = new LogGroup(this, 'Logs', { retention: LOG_RETENTION });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of the eventpipe ${props.functionDir} function`,
    });
    this.role.addToPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    );
    if (props.vpc) {
      this.role.addManagedPolicy(
        ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaVPCAccessExecutionRole'),
      );
      Validations.of(this.role).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]',
        reason:
          'A function in a VPC needs ec2:CreateNetworkInterface and related actions, which cannot be scoped to resources; AWS maintains AWSLambdaVPCAccessExecutionRole for exactly that.',
      });
    }
    this.lambdaFunction = new NodejsFunction(this, 'Function', {
      entry: join(PROJECT_ROOT, 'functions', props.functionDir, 'handler.ts'),
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
      runtime: FUNCTION_RUNTIME,
      architecture: FUNCTION_ARCHITECTURE,
      timeout: props.timeout,
      memorySize: props.memorySize,
      role: this.role,
      logGroup,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      environment: { ...props.environment, NODE_OPTIONS: '--enable-source-maps' },
      bundling: bundlingFor({ kafkaDeadLetters: props.kafkaDeadLetters ?? false }),
      description: `eventpipe ${props.functionDir} (${Stack.of(this).stackName})`,
      ...(props.vpc
        ? { vpc: props.vpc.vpc, vpcSubnets: props.vpc.subnets, securityGroups: [props.vpc.securityGroup] }
        : {}),
    });
  }
}

export type { PipelineFunctionProps, VpcPlacement };
export { PipelineFunction };
