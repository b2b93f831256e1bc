import type { DeploymentSettings } from '../config/deployment-settings.ts';
import type { IngestConfig } from '../config/ingest-config.ts';
import { ingestFromDeployment } from '../config/runtime-from-deployment.ts';

/**
 * The ingest configuration of a local run: the deployment settings' topic and limits, the local
 * brokers, no authentication.
 *
 * @param settings - the deployment settings (cdk.json's `eventpipe`, with local overrides)
 * @param endpoints - the local brokers and region
 * @example
 * ```ts
 * const { handler, close } = buildIngestHandler(localIngestConfig(settings, endpoints), powertools);
 * ```
 */
function localIngestConfig(
  settings: DeploymentSettings,
  endpoints: { readonly kafkaBrokers: readonly string[]; readonly region: string },
): IngestConfig {
  return {
    ...ingestFromDeployment(settings),
    kafkaBrokers: [...endpoints.kafkaBrokers],
    mskClusterArn: undefined,
    kafkaAuth: 'none',
    kafkaSecretArn: undefined,
    region: endpoints.region,
  };
}

export { localIngestConfig };
