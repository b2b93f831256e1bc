import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { kafkaConnectionOptions, resolveKafkaBrokers } from '../adapters/kafka-connection.ts';
import { kafkaEventProducer } from '../adapters/kafka-event-producer.ts';
import { type IngestConfig, ingestSettings } from '../config/ingest-config.ts';
import { eventTypes } from '../events/index.ts';
import type { EventRegistry } from '../events/registry.ts';
import { createIngestHandler, type IngestHandler } from './ingest-handler.ts';

interface BuiltIngestHandler {
  readonly handler: IngestHandler;
  /** Closes the Kafka producer (the local runtime's shutdown; Lambda just freezes the container). */
  close(): Promise<void>;
}

/**
 * The ingest handler with its Kafka producer, built from the configuration: what the Lambda entry
 * point and the local runtime both call, so they run the same code.
 *
 * @param config - the ingest configuration (`loadIngestConfig`, or `localIngestConfig` for a local run)
 * @param powertools - the function's logger and metrics
 * @param registry - the event types; @default the pipeline's {@link eventTypes}
 * @example
 * ```ts
 * const { handler } = buildIngestHandler(loadIngestConfig(process.env), createPowertools(config, 'ingest'));
 * ```
 */
function buildIngestHandler(
  config: IngestConfig,
  powertools: {
    readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>;
    readonly metrics: Pick<Metrics, 'addMetric' | 'publishStoredMetrics'>;
  },
  registry: EventRegistry = eventTypes,
): BuiltIngestHandler {
  const producer = kafkaEventProducer({
    brokers: () => resolveKafkaBrokers(config),
    connection: () => kafkaConnectionOptions(config),
    topic: config.topic,
    // One request never waits longer than the whole send may.
    requestTimeoutMs: config.produceTimeoutMs,
  });
  const handler = createIngestHandler({
    producer,
    registry,
    settings: ingestSettings(config),
    ...powertools,
  });
  return { handler, close: () => producer.close() };
}

export type { BuiltIngestHandler };
export { buildIngestHandler };
