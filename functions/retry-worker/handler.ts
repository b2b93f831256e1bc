import { lazySqsClient } from '#shared/adapters/sqs-sdk.ts';
import { loadRuntimeConfig } from '#shared/config/runtime-config.ts';
import { eventTypes } from '#shared/events/index.ts';
import { buildPipelineDependencies } from '#shared/handlers/pipeline-dependencies.ts';
import { createRetryWorkerHandler } from '#shared/handlers/retry-worker-handler.ts';
import { reportCircuitChanges } from '#shared/observability/circuit-events.ts';
import { createPowertools } from '#shared/observability/powertools.ts';

// Built once per container: a bad configuration fails the cold start, naming the variable. The SQS
// client is created on the first hand-off (a batch where everything succeeds never needs it).
const config = loadRuntimeConfig(process.env);
const { logger, metrics } = createPowertools(config, 'retry-worker');
const deps = buildPipelineDependencies(config, eventTypes, lazySqsClient(config), {
  onCircuitChange: reportCircuitChanges(logger, metrics),
});

/** SQS retry queue (ReportBatchItemFailures) → validate → process → ack, back off, or dead-letter. */
export const handler = createRetryWorkerHandler({ deps, settings: config, logger, metrics });
