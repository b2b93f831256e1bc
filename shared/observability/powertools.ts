import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { RuntimeConfig } from '../config/runtime-config.ts';

type MetricsOptions = NonNullable<ConstructorParameters<typeof Metrics>[0]>;

/**
 * The Powertools Logger and Metrics of one function, configured from the runtime configuration
 * (not from Powertools' own environment lookups, so that configuration has one source).
 *
 * @param makeMetrics - builds the Metrics from its options: Powertools' own by default (EMF on
 *   stdout); the local runtime passes a subclass that writes EMF to a file instead
 * @example
 * ```ts
 * const { logger, metrics } = createPowertools(config, 'kafka-consumer');
 * ```
 */
function createPowertools<M extends Metrics = Metrics>(
  config: Pick<RuntimeConfig, 'serviceName' | 'metricsNamespace' | 'logLevel'>,
  functionRole: string,
  makeMetrics: (options: MetricsOptions) => M = (options) => new Metrics(options) as M,
): { logger: Logger; metrics: M } {
  const logger = new Logger({
    serviceName: config.serviceName,
    logLevel: config.logLevel,
    persistentKeys: { function: functionRole },
  });
  const metrics = makeMetrics({
    namespace: config.metricsNamespace,
    serviceName: config.serviceName,
    defaultDimensions: { function: functionRole },
  });
  return { logger, metrics };
}

export type { MetricsOptions };
export { createPowertools };
