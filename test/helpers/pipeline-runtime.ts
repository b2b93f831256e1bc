import type { SQSClient } from '@aws-sdk/client-sqs';
import { createSqsClient } from '#shared/adapters/sqs-client.ts';
import { loadRuntimeConfig, type RuntimeConfig } from '#shared/config/runtime-config.ts';
import type { EventRegistry } from '#shared/events/registry.ts';
import { createKafkaConsumerHandler } from '#shared/handlers/kafka-consumer-handler.ts';
import { buildPipelineDependencies } from '#shared/handlers/pipeline-dependencies.ts';
import { createRetryWorkerHandler } from '#shared/handlers/retry-worker-handler.ts';
import { createPowertools } from '#shared/observability/powertools.ts';
import { localContext } from '../../local/esm/invoke.ts';
import { LOCAL_CREDENTIALS } from '../../local/local-sqs-client.ts';
import { endpoints } from './local-stack.ts';
import type { QueuePair } from './queues.ts';

/**
 * The real consumer and retry-worker handlers, wired exactly as in Lambda (configuration from an
 * environment, Powertools, SQS adapters) against the local SQS server and the given queues.
 */
function pipelineRuntime(
  queues: QueuePair,
  registry: EventRegistry,
  env: Record<string, string> = {},
  random?: () => number,
) {
  const config: RuntimeConfig = loadRuntimeConfig({
    EVENTPIPE_RETRY_QUEUE_URL: queues.retryQueueUrl,
    EVENTPIPE_DLQ_URL: queues.dlqUrl,
    EVENTPIPE_SQS_ENDPOINT: endpoints.sqsEndpoint,
    AWS_REGION: endpoints.region,
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    ...env,
  });
  const sqs: SQSClient = createSqsClient(config, LOCAL_CREDENTIALS);
  const deps = buildPipelineDependencies(config, registry, sqs);
  const consumerPowertools = createPowertools(config, 'kafka-consumer');
  const workerPowertools = createPowertools(config, 'retry-worker');
  return {
    config,
    sqs,
    consumer: createKafkaConsumerHandler({
      deps,
      settings: config,
      random,
      ...consumerPowertools,
    }),
    worker: createRetryWorkerHandler({ deps, settings: config, random, ...workerPowertools }),
  };
}

/** A Lambda context as the emulators build it, with a fixed time budget. */
function contextWithBudget(ms: number, functionName = 'kafka-consumer') {
  return localContext({ functionName, timeoutMs: ms });
}

export { contextWithBudget, pipelineRuntime };
