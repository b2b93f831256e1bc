import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { RuntimeConfig } from '../config/runtime-config.ts';

/**
 * The Powertools Logger and Metrics of one function, configured from the runtime configuration
 * (not from Powertools' own environment lookups, so that configuration has one source).
 *
 * @example
 * ```ts
 * const { logger, metrics } = createPowertools(config, 'kafka-consumer');
 * ```
 */
function createPowertools(
  config: Pick<RuntimeConfig, 'serviceName' | 'metricsNamespace' | 'logLevel'>,
  functionRole: string,
): { logger: Logger; metrics: Metrics } {
  const logger = new Logger({
    serviceName: config.serviceName,
    logLevel: config.logLevel,
    persistentKeys: { function: functionRole },
  });
  const metrics = new Metrics({
    namespace: config.metricsNamespace,
    serviceName: config.serviceName,
    defaultDimensions: { function: functionRole },
  });
  return { logger, metrics };
}

export { createPowertools };
