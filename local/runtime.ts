import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { Admin } from '@platformatic/kafka';
import type { DeploymentSettings } from '#shared/config/deployment-settings.ts';
import { ENV } from '#shared/config/env-names.ts';
import type { LocalEndpoints } from '#shared/config/local-endpoints.ts';
import { kafkaDlqTopic } from '#shared/config/pipeline-settings.ts';
import { loadRuntimeConfig, type RuntimeConfig, toLambdaEnvironment } from '#shared/config/runtime-config.ts';
import { runtimeFromDeployment } from '#shared/config/runtime-from-deployment.ts';
import { eventTypes } from '#shared/events/index.ts';
import type { EventRegistry } from '#shared/events/registry.ts';
import { createKafkaConsumerHandler } from '#shared/handlers/kafka-consumer-handler.ts';
import { buildPipelineDependencies } from '#shared/handlers/pipeline-dependencies.ts';
import { createRetryWorkerHandler } from '#shared/handlers/retry-worker-handler.ts';
import { buildIngestHandler } from '#shared/ingest/build-ingest-handler.ts';
import { localIngestConfig } from '#shared/ingest/local-ingest-config.ts';
import type { LocalHandler } from './esm/invoke.ts';
import { KafkaEsm } from './esm/kafka-esm.ts';
import { kafkaEventSourceOf } from './esm/kafka-event-builder.ts';
import { SqsEsm } from './esm/sqs-esm.ts';
import { LocalFrontDoor } from './front-door.ts';
import { LOCAL_TOPIC_PARTITIONS, localQueueNames } from './local-settings.ts';
import { localSqsClient } from './local-sqs-client.ts';
import { type EmfBlob, EmfFileMetrics } from './observability/emf-file-metrics.ts';
import { localOnFailureDestination } from './on-failure-destination.ts';
import { ensureQueues, ensureTopic, type LocalQueues } from './provision.ts';
import { LOCAL_STATE_DIR } from './services/constants.ts';
import { LOCAL_SHUTDOWN_TIMEOUT_MS } from './shutdown.ts';

const DEFAULT_METRICS_FILE = join(LOCAL_STATE_DIR, 'metrics', 'emf.jsonl');

interface LocalRuntimeOptions {
  readonly settings: DeploymentSettings;
  readonly endpoints: LocalEndpoints;
  /** When set, every event type is routed to `<sinkUrl>/events/<type>` instead of the settings' routes. */
  readonly sinkUrl?: string;
  /** In-process processors instead of webhook routes (benchmarks: a no-op processor). */
  readonly registry?: EventRegistry;
  /** @default eventpipe-local-retry / eventpipe-local-dlq */
  readonly queueNames?: { retry: string; dlq: string };
  /** @default 6 */
  readonly partitions?: number;
  /** The handlers' Powertools log level. @default the settings' */
  readonly handlerLogLevel?: RuntimeConfig['logLevel'];
  /** @default .local/metrics/emf.jsonl */
  readonly metricsFile?: string;
  readonly onMetrics?: (blob: EmfBlob) => void;
  /** Where the emulators report (retries, refused commits). */
  readonly logger?: Pick<Console, 'info' | 'warn' | 'error'>;
  /** Also serve the HTTP front door: the ingest function behind the HTTP API emulator. */
  readonly frontDoor?: LocalFrontDoorOptions;
}

interface LocalFrontDoorOptions {
  /** Stands in for IAM: requests need `Authorization: Bearer <token>`. */
  readonly bearerToken: string;
  /** 127.0.0.1 port; 0: any free port. @default 8787 */
  readonly port?: number;
  /** Where the ingest function produces. @default the local brokers (a test may put a proxy in between) */
  readonly brokers?: readonly string[];
}

/**
 * The product on one machine: the consumer and retry-worker handlers — the same factories and
 * configuration Lambda uses — driven by the Kafka and SQS event source emulators against the local
 * broker and SQS server. Provisions the topic and queues idempotently on start.
 *
 * @example
 * ```ts
 * const runtime = await LocalRuntime.start({ settings: loadLocalSettings(), endpoints, sinkUrl });
 * await runtime.stop();
 * ```
 */
class LocalRuntime {
  readonly kafkaEsm: KafkaEsm;
  readonly sqsEsm: SqsEsm;
  readonly queues: LocalQueues;
  readonly config: RuntimeConfig;
  /** The HTTP front door, when asked for. */
  readonly frontDoor?: LocalFrontDoor;
  readonly #sqs: SQSClient;
  readonly #closeOnFailure: () => Promise<void>;
  #stopping?: Promise<void>;

  private constructor(parts: {
    kafkaEsm: KafkaEsm;
    sqsEsm: SqsEsm;
    queues: LocalQueues;
    config: RuntimeConfig;
    sqs: SQSClient;
    closeOnFailure: () => Promise<void>;
    frontDoor?: LocalFrontDoor;
  }) {
    this.kafkaEsm = parts.kafkaEsm;
    this.frontDoor = parts.frontDoor;
    this.sqsEsm = parts.sqsEsm;
    this.queues = parts.queues;
    this.config = parts.config;
    this.#sqs = parts.sqs;
    this.#closeOnFailure = parts.closeOnFailure;
  }

  static async start(options: LocalRuntimeOptions): Promise<LocalRuntime> {
    const { settings, endpoints } = options;
    const sqs = localSqsClient(endpoints);
    const admin = new Admin({
      clientId: 'eventpipe-local-provision',
      bootstrapBrokers: endpoints.kafkaBrokers,
    });
    try {
      await ensureTopic(admin, settings.topic, options.partitions ?? LOCAL_TOPIC_PARTITIONS);
      if (settings.dlqTarget !== 'sqs') await ensureTopic(admin, kafkaDlqTopic(settings), 1);
    } finally {
      await admin.close();
    }
    const queues = await ensureQueues(sqs, options.queueNames ?? localQueueNames(), settings);
    const config = localRuntimeConfig(options, queues);
    const deps = buildPipelineDependencies(config, options.registry ?? eventTypes, sqs);
    const metricsFile = options.metricsFile ?? DEFAULT_METRICS_FILE;
    // Lambda sets this for on-demand functions, and Powertools reports `cold_start` only when it is
    // set as the Logger is built; without it every local log line would say `cold_start: false`.
    process.env.AWS_LAMBDA_INITIALIZATION_TYPE ??= 'on-demand';
    const powertools = (role: string) => ({
      logger: new Logger({
        serviceName: config.serviceName,
        logLevel: config.logLevel,
        persistentKeys: { function: role },
      }),
      metrics: new EmfFileMetrics(
        {
          namespace: config.metricsNamespace,
          serviceName: config.serviceName,
          defaultDimensions: { function: role },
        },
        metricsFile,
        options.onMetrics,
      ),
    });
    const consumer = createKafkaConsumerHandler({
      deps,
      settings: config,
      ...powertools('kafka-consumer'),
    });
    const worker = createRetryWorkerHandler({
      deps,
      settings: config,
      ...powertools('retry-worker'),
    });
    const onFailure = localOnFailureDestination(settings, endpoints.kafkaBrokers);
    const kafkaEsm = new KafkaEsm({
      brokers: endpoints.kafkaBrokers,
      // The deployment's source, so a local run sees the event shape the deployed function sees.
      eventSource: kafkaEventSourceOf(settings.source),
      topic: settings.topic,
      groupId: settings.consumerGroupId,
      startingPosition: settings.startingPosition === 'LATEST' ? 'LATEST' : 'TRIM_HORIZON',
      batchSize: settings.batchSize,
      maxBatchingWindowMs:
        settings.maxBatchingWindowSeconds === undefined
          ? undefined
          : settings.maxBatchingWindowSeconds * 1_000,
      reservedConcurrency: settings.reservedConcurrency,
      functionTimeoutMs: settings.consumer.timeoutSeconds * 1_000,
      handler: consumer as LocalHandler,
      errorControls:
        settings.errorControls && onFailure
          ? { ...settings.errorControls, onFailure: onFailure.onFailure }
          : undefined,
      logger: options.logger,
    });
    const sqsEsm = new SqsEsm({
      sqs,
      queueUrl: queues.retryQueueUrl,
      queueArn: queues.retryQueueArn,
      region: endpoints.region,
      batchSize: settings.retryWorker.batchSize,
      maxConcurrency: settings.retryWorker.concurrency,
      functionTimeoutMs: settings.retryWorker.timeoutSeconds * 1_000,
      handler: worker as LocalHandler,
      logger: options.logger,
    });
    // The door first: a port in use fails the start before any consumer runs.
    const frontDoor = options.frontDoor && (await startFrontDoor(options, options.frontDoor, powertools));
    await kafkaEsm.start().catch(async (error: unknown) => {
      await frontDoor?.stop();
      throw error;
    });
    sqsEsm.start();
    return new LocalRuntime({
      frontDoor,
      kafkaEsm,
      sqsEsm,
      queues,
      config,
      sqs,
      closeOnFailure: async () => onFailure?.close(),
    });
  }

  /**
   * Graceful stop, safe to call twice: stop fetching, let in-flight invocations finish (bounded),
   * commit what succeeded, leave the group, close clients.
   */
  stop(timeoutMs = LOCAL_SHUTDOWN_TIMEOUT_MS): Promise<void> {
    this.#stopping ??= (async () => {
      // The door first: nothing new comes in while the consumers drain.
      await this.frontDoor?.stop();
      await Promise.all([this.kafkaEsm.stop(timeoutMs), this.sqsEsm.stop(timeoutMs)]);
      await this.#closeOnFailure();
      this.#sqs.destroy();
    })();
    return this.#stopping;
  }
}

/** The ingest handler as the Lambda entry point builds it, producing to the local brokers, behind the emulator. */
function startFrontDoor(
  options: LocalRuntimeOptions,
  door: LocalFrontDoorOptions,
  powertools: (role: string) => Parameters<typeof buildIngestHandler>[1],
): Promise<LocalFrontDoor> {
  const { settings, endpoints } = options;
  const config = localIngestConfig(settings, {
    kafkaBrokers: door.brokers ?? endpoints.kafkaBrokers,
    region: endpoints.region,
  });
  const ingest = buildIngestHandler(config, powertools('ingest'), options.registry ?? eventTypes);
  return LocalFrontDoor.start({
    ingest,
    settings: settings.ingest,
    bearerToken: door.bearerToken,
    port: door.port,
  });
}

/** The handlers' configuration, built through environment variables exactly as Lambda gets it. */
function localRuntimeConfig(options: LocalRuntimeOptions, queues: LocalQueues): RuntimeConfig {
  const { settings, endpoints, sinkUrl } = options;
  const routes = options.registry
    ? {}
    : sinkUrl
      ? Object.fromEntries(Object.keys(eventTypes).map((type) => [type, `${sinkUrl}/events/${type}`]))
      : settings.routes;
  const environment = toLambdaEnvironment({
    ...runtimeFromDeployment(settings, { retryQueueUrl: queues.retryQueueUrl, dlqUrl: queues.dlqUrl }),
    routes,
    kafkaBrokers: endpoints.kafkaBrokers,
    kafkaAuth: 'none',
    kafkaSecretArn: undefined,
    mskClusterArn: undefined,
    sqsEndpoint: endpoints.sqsEndpoint,
    logLevel: options.handlerLogLevel ?? settings.logLevel,
  });
  return loadRuntimeConfig({ ...environment, [ENV.AWS_REGION]: endpoints.region });
}

export type { LocalFrontDoorOptions, LocalRuntimeOptions };
export { LocalRuntime };
