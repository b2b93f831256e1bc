import { ENV } from './env-names.ts';
import { EnvCodec, type EnvTable } from './env-table.ts';
import { matching, nonEmptyListOf, oneOf, optional, startingWith, withDefault } from './field-kinds.ts';
import type { IssueSink } from './field-rule.ts';

/**
 * How a function reaches the Kafka cluster: brokers (or the MSK cluster whose brokers it looks
 * up), and the authentication. Shared by every function that talks to Kafka itself (the Kafka DLQ
 * producer in the pipeline functions, the ingest function).
 *
 * ```json
 * { "mskClusterArn": "arn:aws:kafka:eu-west-1:123456789012:cluster/orders/…", "kafkaAuth": "iam" }
 * ```
 */
const KAFKA_CONNECTION_RULES = {
  kafkaBrokers: optional(nonEmptyListOf(matching(/^[^\s:,]+:\d{1,5}$/, 'expected host:port'))),
  mskClusterArn: optional(startingWith('arn:')),
  kafkaAuth: withDefault(oneOf(['none', 'iam', 'scram']), 'none'),
  kafkaSecretArn: optional(startingWith('arn:')),
};

/** Where {@link KAFKA_CONNECTION_RULES} come from in the environment. */
const KAFKA_CONNECTION_ENV = {
  kafkaBrokers: [ENV.KAFKA_BROKERS, EnvCodec.LIST],
  mskClusterArn: [ENV.MSK_CLUSTER_ARN, EnvCodec.TEXT],
  kafkaAuth: [ENV.KAFKA_AUTH, EnvCodec.TEXT],
  kafkaSecretArn: [ENV.KAFKA_SECRET_ARN, EnvCodec.TEXT],
} as const satisfies EnvTable;

/** SASL/SCRAM needs its secret. */
function checkKafkaSecret(
  config: { readonly kafkaAuth: string; readonly kafkaSecretArn?: string | undefined },
  issues: IssueSink,
): void {
  if (config.kafkaAuth === 'scram' && !config.kafkaSecretArn) {
    issues.addIssue({
      code: 'custom',
      path: ['kafkaSecretArn'],
      message: 'required for SASL/SCRAM authentication',
    });
  }
}

export { checkKafkaSecret, KAFKA_CONNECTION_ENV, KAFKA_CONNECTION_RULES };
