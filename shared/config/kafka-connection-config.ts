import * as z from 'zod';
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
  kafkaBrokers: z
    .array(z.string().regex(/^[^\s:,]+:\d{1,5}$/, 'expected host:port'))
    .min(1)
    .optional(),
  mskClusterArn: z.string().startsWith('arn:').optional(),
  kafkaAuth: z.enum(['none', 'iam', 'scram']).default('none'),
  kafkaSecretArn: z.string().startsWith('arn:').optional(),
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
  ctx: z.RefinementCtx,
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
