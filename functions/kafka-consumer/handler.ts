import { lazySqsClient } from '#shared/adapters/sqs-sdk.ts';
import { loadRuntimeConfig } from '#shared/config/runtime-config.ts';
import { eventTypes } from '#shared/events/index.ts';
import { createKafkaConsumerHandler } from '#shared/handlers/kafka-consumer-handler.ts';
import { buildPipelineDependencies } from '#shared/handlers/pipeline-dependencies.ts';
import { reportCircuitChanges } from '#shared/observability/circuit-events.ts';
import { createPowertools } from '#shared/observability/powertools.ts';

// Built once per container: a bad configuration fails the cold start, naming the variable. The SQS
// client is created on the first hand-off (a batch where everything succeeds never needs it).
const config = loadRuntimeConfig(process.env);
const { logger, metrics } = createPowertools(config, 'kafka-consumer');
const deps = buildPipelineDependencies(config, eventTypes, lazySqsClient(config), {
  onCircuitChange: reportCircuitChanges(logger, metrics),
});

/** Kafka (MSK or self-managed) event source mapping → decode → validate → process → settle. */
export const handler = createKafkaConsumerHandler({ deps, settings: config, logger, metrics });
