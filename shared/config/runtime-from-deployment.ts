import type { DeploymentSettings } from './deployment-settings.ts';
import { SQS_MAX_MESSAGE_BYTES } from './limits.ts';
import type { RuntimeConfig } from './runtime-config.ts';

const KAFKA_AUTH_OF_SOURCE = {
  iam: 'iam',
  scram: 'scram',
  none: 'none',
  'sasl-scram-512': 'scram',
} as const satisfies Partial<Record<DeploymentSettings['source']['auth'], RuntimeConfig['kafkaAuth']>>;

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
  const { source } = settings;
  const kafkaAuth =
    source.auth in KAFKA_AUTH_OF_SOURCE
      ? KAFKA_AUTH_OF_SOURCE[source.auth as keyof typeof KAFKA_AUTH_OF_SOURCE]
      : 'none';
  return {
    retryQueueUrl: queues.retryQueueUrl,
    dlqUrl: queues.dlqUrl,
    dlqTarget: settings.dlqTarget,
    dlqTopic: settings.dlqTopic,
    kafkaBrokers: source.kind === 'self-managed' ? source.bootstrapServers : undefined,
    mskClusterArn: source.kind === 'msk' ? source.clusterArn : undefined,
    kafkaAuth,
    kafkaSecretArn: kafkaAuth === 'scram' ? source.secretArn : undefined,
    maxAttempts: settings.maxAttempts,
    backoffBaseSeconds: settings.backoffBaseSeconds,
    backoffCapSeconds: settings.backoffCapSeconds,
    recordConcurrency: settings.recordConcurrency,
    deadlineMarginMs: settings.deadlineMarginMs,
    maxRedrives: settings.maxRedrives,
    routes: settings.routes,
    httpTimeoutMs: settings.httpTimeoutMs,
    breakerFailures: settings.circuitBreaker.failureThreshold,
    breakerOpenSeconds: settings.circuitBreaker.openSeconds,
    maxMessageBytes: SQS_MAX_MESSAGE_BYTES,
    maxRecordBytes: settings.maxRecordBytes,
    serviceName: settings.serviceName,
    metricsNamespace: settings.metricsNamespace,
    logLevel: settings.logLevel,
  };
}

export { runtimeFromDeployment };
