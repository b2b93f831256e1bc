import { Arn, ArnFormat, type Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';

/**
 * The data-plane statements MSK IAM authentication needs, which Lambda's managed MSK execution
 * role does not include: connect to the cluster, read the topic as a member of the group, and
 * write each topic the function's role produces to: the Kafka DLQ topic (written by our code) and
 * the ESM's Kafka on-failure topic (written by Lambda with the function's role; CDK's `KafkaDlq`
 * grants nothing). Scoped to the exact cluster, topic and group ARNs.
 * https://docs.aws.amazon.com/lambda/latest/dg/kafka-on-failure.html (kafka-cluster:WriteData)
 *
 * @example
 * ```ts
 * for (const statement of mskIamStatements(stack, clusterArn, { readTopic: 'orders', group: 'eventpipe' })) role.addToPolicy(statement);
 * ```
 */
function mskIamStatements(
  stack: Stack,
  clusterArn: string,
  access: { readTopic?: string; group?: string; writeTopics?: readonly string[] },
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
      actions: ['kafka-cluster:Connect', 'kafka-cluster:DescribeClusterDynamicConfiguration'],
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

export { mskIamStatements };
