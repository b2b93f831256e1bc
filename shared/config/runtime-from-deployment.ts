import type { DeploymentSettings } from './deployment-settings.ts';
import type { IngestConfig } from './ingest-config.ts';
import { SQS_MAX_MESSAGE_BYTES } from './limits.ts';
import { RUNTIME_SETTING_KEYS, type RuntimeConfig, type RuntimeSettingKey } from './runtime-config.ts';

const KAFKA_AUTH_OF_SOURCE = {
  iam: 'iam',
  scram: 'scram',
  none: 'none',
  'sasl-scram-512': 'scram',
} as const satisfies Partial<Record<DeploymentSettings['source']['auth'], RuntimeConfig['kafkaAuth']>>;

/** The settings the functions read, copied under their own names (no renaming on the way). */
function pickRuntimeSettings(settings: DeploymentSettings): Pick<RuntimeConfig, RuntimeSettingKey> {
  return Object.fromEntries(RUNTIME_SETTING_KEYS.map((key) => [key, settings[key]])) as Pick<
    RuntimeConfig,
    RuntimeSettingKey
  >;
}

/**
 * The functions' runtime configuration implied by the deployment settings and the queues the
 * deployment created. The CDK stack turns it into environment variables; the local runtime passes
 * it, with local endpoints, to the same handlers.
 *
 * @example
 * ```ts
 * const environment = toLambdaEnvironment(runtimeFromDeployment(settings, { retryQueueUrl, dlqUrl }));
 * ```
 */
function runtimeFromDeployment(
  settings: DeploymentSettings,
  queues: { retryQueueUrl: string; dlqUrl: string },
): Omit<RuntimeConfig, 'region'> {
  return {
    retryQueueUrl: queues.retryQueueUrl,
    dlqUrl: queues.dlqUrl,
    ...kafkaConnectionOf(settings),
    maxMessageBytes: SQS_MAX_MESSAGE_BYTES,
    ...pickRuntimeSettings(settings),
  };
}

/** How the functions reach the source cluster: its brokers or MSK ARN, and the authentication. */
function kafkaConnectionOf(
  settings: DeploymentSettings,
): Pick<RuntimeConfig, 'kafkaBrokers' | 'mskClusterArn' | 'kafkaAuth' | 'kafkaSecretArn'> {
  const { source } = settings;
  const kafkaAuth =
    source.auth in KAFKA_AUTH_OF_SOURCE
      ? KAFKA_AUTH_OF_SOURCE[source.auth as keyof typeof KAFKA_AUTH_OF_SOURCE]
      : 'none';
  return {
    kafkaBrokers: source.kind === 'self-managed' ? source.bootstrapServers : undefined,
    mskClusterArn: source.kind === 'msk' ? source.clusterArn : undefined,
    kafkaAuth,
    kafkaSecretArn: kafkaAuth === 'scram' ? source.secretArn : undefined,
  };
}

/**
 * The ingest function's configuration implied by the deployment settings: the source topic, the
 * source cluster's connection, the `ingest` block's limits and the consumer's `maxRecordBytes`
 * (an event the consumer would refuse unread is refused at the door).
 *
 * @example
 * ```ts
 * const environment = toIngestEnvironment(ingestFromDeployment(settings));
 * ```
 */
function ingestFromDeployment(settings: DeploymentSettings): Omit<IngestConfig, 'region'> {
  const { maxBodyBytes, maxBatchEvents, produceTimeoutMs, retryAfterSeconds } = settings.ingest;
  return {
    topic: settings.topic,
    ...kafkaConnectionOf(settings),
    maxBodyBytes,
    maxBatchEvents,
    produceTimeoutMs,
    retryAfterSeconds,
    maxRecordBytes: settings.maxRecordBytes,
    serviceName: settings.serviceName,
    metricsNamespace: settings.metricsNamespace,
    logLevel: settings.logLevel,
  };
}

export { ingestFromDeployment, runtimeFromDeployment };
