import * as z from 'zod/mini';
import { ENV } from './env-names.ts';
import { EnvCodec, type EnvTable } from './env-table.ts';

/**
 * How a function reaches the Kafka cluster: brokers (or the MSK cluster whose brokers it looks
 * up), and the authentication. Shared by every function that talks to Kafka itself (the Kafka DLQ
 * producer in the pipeline functions, the ingest function).
 *
 * ```json
 * { "mskClusterArn": "arn:aws:kafka:eu-west-1:123456789012:cluster/orders/…", "kafkaAuth": "iam" }
 * ```
 */
const KAFKA_CONNECTION_FIELDS = {
  kafkaBrokers: z.optional(
    z.array(z.string().check(z.regex(/^[^\s:,]+:\d{1,5}$/, 'expected host:port'))).check(z.minLength(1)),
  ),
  mskClusterArn: z.optional(z.string().check(z.startsWith('arn:'))),
  kafkaAuth: z._default(z.enum(['none', 'iam', 'scram']), 'none'),
  kafkaSecretArn: z.optional(z.string().check(z.startsWith('arn:'))),
};

/** Where {@link KAFKA_CONNECTION_FIELDS} come from in the environment. */
const KAFKA_CONNECTION_ENV = {
  kafkaBrokers: [ENV.KAFKA_BROKERS, EnvCodec.LIST],
  mskClusterArn: [ENV.MSK_CLUSTER_ARN, EnvCodec.TEXT],
  kafkaAuth: [ENV.KAFKA_AUTH, EnvCodec.TEXT],
  kafkaSecretArn: [ENV.KAFKA_SECRET_ARN, EnvCodec.TEXT],
} as const satisfies EnvTable;

/** SASL/SCRAM needs its secret. */
function checkKafkaSecret(
  config: { readonly kafkaAuth: string; readonly kafkaSecretArn?: string | undefined },
  ctx: z.core.$RefinementCtx,
): void {
  if (config.kafkaAuth === 'scram' && !config.kafkaSecretArn) {
    ctx.addIssue({
      code: 'custom',
      path: ['kafkaSecretArn'],
      message: 'required for SASL/SCRAM authentication',
    });
  }
}

export { checkKafkaSecret, KAFKA_CONNECTION_ENV, KAFKA_CONNECTION_FIELDS };
