import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { DeleteQueueCommand } from '@aws-sdk/client-sqs';
import type { LocalEndpoints } from '#shared/config/local-endpoints.ts';
import { loadRuntimeConfig } from '#shared/config/runtime-config.ts';
import { eventTypes } from '#shared/events/index.ts';
import type { EventRegistry } from '#shared/events/registry.ts';
import { createKafkaConsumerHandler } from '#shared/handlers/kafka-consumer-handler.ts';
import { buildPipelineDependencies } from '#shared/handlers/pipeline-dependencies.ts';
import { PermanentError, TransientError } from '#shared/pipeline/errors.ts';
import type { Processor } from '#shared/pipeline/ports.ts';
import { localContext } from '../../local/esm/invoke.ts';
import { loadLocalSettings } from '../../local/local-settings.ts';
import { localSqsClient } from '../../local/local-sqs-client.ts';
import { EmfFileMetrics } from '../../local/observability/emf-file-metrics.ts';
import { ensureQueues } from '../../local/provision.ts';
import { benchEvent, benchRecords } from './payloads.ts';

const RECORDS = 1_000;
const PAYLOAD_BYTES = 512;
const TRANSIENT_EVERY = 10; // 10 % transient
const PERMANENT_EVERY = 100; // 1 % permanent

interface HandlerScenarioResult {
  readonly scenario: 'all-succeed' | 'with-failures';
  readonly invocations: number;
  readonly recordsPerSecond: number;
  readonly msPerInvocation: number;
  readonly failedRecordsPerInvocation: number;
  readonly sqsRequestsPerInvocation: number;
  /** SendMessageBatch calls per failed record; batching makes this ≈ 0.1 (target ≤ 0.12). */
  readonly sqsRequestsPerFailedRecord: number;
}

/**
 * The consumer handler — real wiring: configuration from environment variables, Powertools,
 * SQS adapters against ElasticMQ — on a synthetic MSK event of 1,000 records with a no-op
 * processor, all succeeding and then with 10 % transient and 1 % permanent failures handed off.
 */
async function runHandlerBenchmark(
  endpoints: LocalEndpoints,
  quick: boolean,
): Promise<HandlerScenarioResult[]> {
  const sqs = localSqsClient(endpoints);
  const requests = { count: 0 };
  sqs.middlewareStack.add(
    (next) => async (args) => {
      requests.count++;
      return next(args);
    },
    { step: 'initialize', name: 'countSqsRequests' },
  );
  const run = `bench-${Date.now().toString(36)}`;
  const queues = await ensureQueues(sqs, { retry: `${run}-retry`, dlq: `${run}-dlq` }, loadLocalSettings());
  const event = benchEvent(benchRecords(RECORDS, PAYLOAD_BYTES));
  const rounds = quick ? 3 : 30;
  try {
    const results: HandlerScenarioResult[] = [];
    for (const scenario of ['all-succeed', 'with-failures'] as const) {
      const handler = buildHandler(
        endpoints,
        queues,
        sqs,
        scenario === 'with-failures' ? failingProcessor : async () => undefined,
      );
      await handler(event, localContext({ functionName: 'kafka-consumer', timeoutMs: 60_000 })); // warm-up: clients, JIT
      requests.count = 0;
      const started = performance.now();
      for (let round = 0; round < rounds; round++)
        await handler(event, localContext({ functionName: 'kafka-consumer', timeoutMs: 60_000 }));
      const elapsedMs = performance.now() - started;
      const failed = scenario === 'with-failures' ? RECORDS / TRANSIENT_EVERY + RECORDS / PERMANENT_EVERY : 0;
      results.push({
        scenario,
        invocations: rounds,
        recordsPerSecond: Math.round((RECORDS * rounds * 1_000) / elapsedMs),
        msPerInvocation: Number((elapsedMs / rounds).toFixed(1)),
        failedRecordsPerInvocation: failed,
        sqsRequestsPerInvocation: requests.count / rounds,
        sqsRequestsPerFailedRecord: failed === 0 ? 0 : Number((requests.count / rounds / failed).toFixed(3)),
      });
    }
    return results;
  } finally {
    await sqs.send(new DeleteQueueCommand({ QueueUrl: queues.retryQueueUrl })).catch(() => undefined);
    await sqs.send(new DeleteQueueCommand({ QueueUrl: queues.dlqUrl })).catch(() => undefined);
    sqs.destroy();
  }
}

/** Event `bench-<i>`: every 100th rejected for good, every 10th (offset by 5) unavailable. */
const failingProcessor: Processor = async (event) => {
  const index = Number(event.id.slice(event.id.lastIndexOf('-') + 1));
  if (index % PERMANENT_EVERY === 0) throw new PermanentError('HTTP 400');
  if (index % TRANSIENT_EVERY === 5) throw new TransientError('HTTP 503');
};

function buildHandler(
  endpoints: LocalEndpoints,
  queues: { retryQueueUrl: string; dlqUrl: string },
  sqs: ReturnType<typeof localSqsClient>,
  processor: Processor,
) {
  const config = loadRuntimeConfig({
    EVENTPIPE_RETRY_QUEUE_URL: queues.retryQueueUrl,
    EVENTPIPE_DLQ_URL: queues.dlqUrl,
    EVENTPIPE_SQS_ENDPOINT: endpoints.sqsEndpoint,
    AWS_REGION: endpoints.region,
    EVENTPIPE_RECORD_CONCURRENCY: '10',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  });
  const registry: EventRegistry = Object.fromEntries(
    Object.entries(eventTypes).map(([type, definition]) => [type, { ...definition, process: processor }]),
  );
  const metricsFile = join(mkdtempSync(join(tmpdir(), 'eventpipe-bench-')), 'emf.jsonl');
  return createKafkaConsumerHandler({
    deps: buildPipelineDependencies(config, registry, sqs),
    settings: config,
    logger: new Logger({ logLevel: 'SILENT' }),
    metrics: new EmfFileMetrics({ namespace: 'EventPipeBench', serviceName: 'eventpipe' }, metricsFile),
  });
}

export type { HandlerScenarioResult };
export { runHandlerBenchmark };
