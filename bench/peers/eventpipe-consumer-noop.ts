import { lazySqsClient } from '#shared/adapters/sqs-sdk.ts';
import { loadRuntimeConfig } from '#shared/config/runtime-config.ts';
import { eventTypes } from '#shared/events/index.ts';
import type { EventRegistry } from '#shared/events/registry.ts';
import { createKafkaConsumerHandler } from '#shared/handlers/kafka-consumer-handler.ts';
import { buildPipelineDependencies } from '#shared/handlers/pipeline-dependencies.ts';
import { reportCircuitChanges } from '#shared/observability/circuit-events.ts';
import { createPowertools } from '#shared/observability/powertools.ts';
import { noopProcessor } from './event-schema.ts';

/**
 * `functions/kafka-consumer/handler.ts` line for line, except that every event type's processor is
 * the peers' no-op instead of a webhook route: the per-record benchmark's consumer.
 */
const config = loadRuntimeConfig(process.env);
const { logger, metrics } = createPowertools(config, 'kafka-consumer');
const registry: EventRegistry = Object.fromEntries(
  Object.entries(eventTypes).map(([type, definition]) => [type, { ...definition, process: noopProcessor }]),
);
const deps = buildPipelineDependencies(config, registry, lazySqsClient(config), {
  onCircuitChange: reportCircuitChanges(logger, metrics),
});

export const handler = createKafkaConsumerHandler({
  deps,
  settings: config,
  logger,
  metrics,
});
