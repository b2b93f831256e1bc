import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { CircuitState } from '../pipeline/circuit-breaker.ts';

/**
 * Reports a route's circuit state changes: a WARN log line each time, and a `CircuitOpened` metric
 * (its own EMF blob: rare, and it must not wait for the batch's flush) when a circuit opens.
 *
 * @example
 * ```ts
 * buildPipelineDependencies(config, eventTypes, sqs, { onCircuitChange: reportCircuitChanges(logger, metrics) });
 * ```
 */
function reportCircuitChanges(logger: Pick<Logger, 'warn'>, metrics: Pick<Metrics, 'singleMetric'>) {
  return (route: string, from: CircuitState, to: CircuitState): void => {
    logger.warn('circuit state changed', { route, from, to });
    if (to === 'open') metrics.singleMetric().addMetric('CircuitOpened', MetricUnit.Count, 1);
  };
}

export { reportCircuitChanges };
