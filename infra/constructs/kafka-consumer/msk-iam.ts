import { Arn, ArnFormat, Stack } from 'aws-cdk-lib';
import { type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';

/**
 * The data-plane statements MSK IAM authentication needs, which Lambda's managed MSK execution
 * role does not include: connect to the cluster, read the topic as a member of the group, and
 * write each topic the function's role produces to: the Kafka DLQ topic (written by our code) and
 * the ESM's Kafka on-failure topic (written by Lambda with the function's role; CDK's `KafkaDlq`
 * grants nothing). Scoped to the exact cluster, topic and group ARNs.
 * https://docs.aws.amazon.com/lambda/latest/dg/kafka-on-failure.html (kafka-cluster:WriteData);
 * `WriteDataIdempotently` is a cluster action (Kafka's IdempotentWrite ACL on the cluster):
 * https://docs.aws.amazon.com/msk/latest/developerguide/kafka-actions.html
 *
 * @example
 * ```ts
 * for (const statement of mskIamStatements(stack, clusterArn, { readTopic: 'orders', group: 'eventpipe' })) role.addToPolicy(statement);
 * ```
 */
function mskIamStatements(
  stack: Stack,
  clusterArn: string,
  access: {
    readTopic?: string;
    group?: string;
    writeTopics?: readonly string[];
    /** An idempotent producer's `InitProducerId` needs `WriteDataIdempotently` on the cluster. */
    idempotentWrite?: boolean;
  },
): PolicyStatement[] {
  const cluster = Arn.split(clusterArn, ArnFormat.SLASH_RESOURCE_SLASH_RESOURCE_NAME);
  // cluster/<name>/<uuid> → topic/<name>/<uuid>/<topic>, group/<name>/<uuid>/<group>
  const clusterPath = cluster.resourceName ?? '';
  // Every component comes from the cluster ARN, so the result is a literal ARN, not a token.
  const arnOf = (resource: 'topic' | 'group', name: string) =>
    Arn.format(
      {
        partition: cluster.partition,
        service: 'kafka',
        region: cluster.region,
        account: cluster.account,
        resource,
        resourceName: `${clusterPath}/${name}`,
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      },
      stack,
    );
  const statements = [
    new PolicyStatement({
      actions: [
        'kafka-cluster:Connect',
        'kafka-cluster:DescribeClusterDynamicConfiguration',
        ...(access.idempotentWrite ? ['kafka-cluster:WriteDataIdempotently'] : []),
      ],
      resources: [clusterArn],
    }),
  ];
  if (access.readTopic && access.group) {
    statements.push(
      new PolicyStatement({
        actions: [
          'kafka-cluster:DescribeTopic',
          'kafka-cluster:DescribeTopicDynamicConfiguration',
          'kafka-cluster:ReadData',
        ],
        resources: [arnOf('topic', access.readTopic)],
      }),
      new PolicyStatement({
        actions: ['kafka-cluster:DescribeGroup', 'kafka-cluster:AlterGroup'],
        resources: [arnOf('group', access.group)],
      }),
    );
  }
  const writeTopics = [...new Set(access.writeTopics ?? [])];
  if (writeTopics.length > 0) {
    statements.push(
      new PolicyStatement({
        actions: ['kafka-cluster:DescribeTopic', 'kafka-cluster:WriteData'],
        resources: writeTopics.map((topic) => arnOf('topic', topic)),
      }),
    );
  }
  return statements;
}

/** A Kafka topic a function produces to, and how it reaches the cluster. */
interface KafkaWriteTarget {
  readonly topic: string;
  /**
   * The MSK cluster holding the topic: the function resolves its brokers (`kafka:GetBootstrapBrokers`).
   * @default - self-managed Kafka (brokers come from the environment)
   */
  readonly mskClusterArn?: string;
  /** MSK IAM authentication: the role may connect, describe and write the topic. @default false */
  readonly iamAuth?: boolean;
  /** SASL/SCRAM credentials the function reads. @default - none */
  readonly secret?: ISecret;
}

/**
 * Grants a function's role what producing to one topic needs, nothing more: the SCRAM secret,
 * broker discovery on the MSK cluster, and with MSK IAM the data-plane statements for that topic
 * ({@link mskIamStatements}; `idempotentWrite` for an idempotent producer).
 *
 * @example
 * ```ts
 * grantKafkaWrite(fn.role, { topic: 'orders.dlq', mskClusterArn, iamAuth: true });
 * ```
 */
function grantKafkaWrite(
  role: IRole,
  target: KafkaWriteTarget,
  options: { readonly idempotentWrite?: boolean } = {},
): void {
  target.secret?.grantRead(role);
  if (!target.mskClusterArn) return;
  role.addToPrincipalPolicy(
    new PolicyStatement({ actions: ['kafka:GetBootstrapBrokers'], resources: [target.mskClusterArn] }),
  );
  if (!target.iamAuth) return;
  for (const statement of mskIamStatements(Stack.of(role), target.mskClusterArn, {
    writeTopics: [target.topic],
    idempotentWrite: options.idempotentWrite,
  }))
    role.addToPrincipalPolicy(statement);
}

export type { KafkaWriteTarget };
export { grantKafkaWrite, mskIamStatements };
