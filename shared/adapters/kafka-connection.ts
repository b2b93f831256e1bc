import type { RuntimeConfig } from '../config/runtime-config.ts';

/**
 * The bundle-time switch of the Kafka dead-letter producer: the stack has esbuild replace
 * `globalThis.EVENTPIPE_BUNDLE_KAFKA_DLQ` with `false` when the settings dead-letter to SQS only,
 * and each `import()` of the producer's code sits in a branch that this folds away. Unbundled
 * code (tests, the local runtime) leaves it undefined: the producer is there.
 */
interface KafkaDlqBundleFlag {
  readonly EVENTPIPE_BUNDLE_KAFKA_DLQ?: boolean;
}

/**
 * Whether this build carries the Kafka dead-letter producer (`@platformatic/kafka`, its codecs and
 * the MSK IAM signer: ≈700 KB minified, two thirds of a bundle). Checked at cold start so that a
 * function bundled without it fails before consuming anything. (The `import()` guards below spell
 * the condition out again: esbuild folds a branch away only when the define sits in it.)
 */
const KAFKA_DLQ_BUNDLED = (globalThis as KafkaDlqBundleFlag).EVENTPIPE_BUNDLE_KAFKA_DLQ !== false;

const KAFKA_DLQ_NOT_BUNDLED =
  'this function was bundled without the Kafka dead-letter producer: deploy with a Kafka DLQ target in the settings';

/** The subset of `@platformatic/kafka` connection options the product sets. */
interface KafkaConnectionOptions {
  tls?: Record<string, never>;
  sasl?: {
    mechanism: 'OAUTHBEARER' | 'SCRAM-SHA-512';
    token?: () => Promise<string>;
    username?: string;
    password?: string;
  };
}

/**
 * Connection options for the configured Kafka authentication: none (local, or a plaintext
 * self-managed cluster), MSK IAM (SASL/OAUTHBEARER with tokens from `aws-msk-iam-sasl-signer-js`,
 * refreshed by the client on every connection) or SASL/SCRAM-SHA-512 with the credentials of a
 * Secrets Manager secret (`{"username": …, "password": …}`, the format MSK requires). The signer
 * and the Secrets Manager client are loaded only when used, to keep cold starts small.
 *
 * @example
 * ```ts
 * const producer = new Producer({ clientId, bootstrapBrokers, ...(await kafkaConnectionOptions(config)) });
 * ```
 */
async function kafkaConnectionOptions(
  config: Pick<RuntimeConfig, 'kafkaAuth' | 'kafkaSecretArn' | 'region'>,
): Promise<KafkaConnectionOptions> {
  if (config.kafkaAuth === 'iam') {
    const { generateAuthToken } = await loadSigner();
    return {
      tls: {},
      sasl: {
        mechanism: 'OAUTHBEARER',
        token: async () => (await generateAuthToken({ region: config.region })).token,
      },
    };
  }
  if (config.kafkaAuth === 'scram') {
    const { username, password } = await readScramSecret(config.kafkaSecretArn ?? '', config.region);
    return { tls: {}, sasl: { mechanism: 'SCRAM-SHA-512', username, password } };
  }
  return {};
}

/** As the producer's loader: the condition written out around the import(), so `define` drops it. */
function loadSigner(): Promise<typeof import('aws-msk-iam-sasl-signer-js')> {
  if ((globalThis as KafkaDlqBundleFlag).EVENTPIPE_BUNDLE_KAFKA_DLQ !== false) {
    return import('aws-msk-iam-sasl-signer-js');
  }
  return Promise.reject(new Error(KAFKA_DLQ_NOT_BUNDLED));
}

async function readScramSecret(
  secretArn: string,
  region: string,
): Promise<{ username: string; password: string }> {
  const { GetSecretValueCommand, SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
  const client = new SecretsManagerClient({ region });
  try {
    const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
    const secret = JSON.parse(SecretString ?? '{}') as { username?: unknown; password?: unknown };
    if (typeof secret.username !== 'string' || typeof secret.password !== 'string') {
      // Never include the secret's content in the message.
      throw new Error(`secret ${secretArn} must be JSON with string "username" and "password"`);
    }
    return { username: secret.username, password: secret.password };
  } finally {
    client.destroy();
  }
}

/**
 * The brokers to connect to: configured brokers win; then the brokers of the event being handled
 * (the consumer's Kafka event names them); then MSK's own API for the configured cluster
 * (`kafka:GetBootstrapBrokers`), the bootstrap string of the configured authentication (IAM port
 * 9098, SCRAM 9096, TLS 9094: https://docs.aws.amazon.com/msk/latest/developerguide/port-info.html).
 *
 * @example
 * ```ts
 * const brokers = await resolveKafkaBrokers(config, event.bootstrapServers?.split(',') ?? []);
 * ```
 */
async function resolveKafkaBrokers(
  config: Pick<RuntimeConfig, 'kafkaBrokers' | 'mskClusterArn' | 'kafkaAuth' | 'region'>,
  eventBrokers: readonly string[] = [],
): Promise<readonly string[]> {
  if (config.kafkaBrokers?.length) return config.kafkaBrokers;
  if (eventBrokers.length > 0) return eventBrokers;
  if (!config.mskClusterArn) {
    throw new Error(
      "no Kafka brokers: set EVENTPIPE_KAFKA_BROKERS or EVENTPIPE_MSK_CLUSTER_ARN (a consumer also uses its event's bootstrapServers)",
    );
  }
  const { GetBootstrapBrokersCommand, KafkaClient } = await import('@aws-sdk/client-kafka');
  const client = new KafkaClient({ region: config.region });
  try {
    const brokers = await client.send(new GetBootstrapBrokersCommand({ ClusterArn: config.mskClusterArn }));
    const list =
      config.kafkaAuth === 'iam'
        ? brokers.BootstrapBrokerStringSaslIam
        : config.kafkaAuth === 'scram'
          ? brokers.BootstrapBrokerStringSaslScram
          : brokers.BootstrapBrokerStringTls;
    if (!list) {
      throw new Error(
        `MSK cluster ${config.mskClusterArn} has no brokers for ${config.kafkaAuth} authentication`,
      );
    }
    return list.split(',');
  } finally {
    client.destroy();
  }
}

export type { KafkaConnectionOptions, KafkaDlqBundleFlag };
export { KAFKA_DLQ_BUNDLED, KAFKA_DLQ_NOT_BUNDLED, kafkaConnectionOptions, resolveKafkaBrokers };
