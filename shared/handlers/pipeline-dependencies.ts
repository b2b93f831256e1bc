import { fanOutDeadLetters } from '../adapters/fan-out-dead-letters.ts';
import { httpProcessor } from '../adapters/http-processor.ts';
import {
  KAFKA_DLQ_BUNDLED,
  KAFKA_DLQ_NOT_BUNDLED,
  kafkaConnectionOptions,
} from '../adapters/kafka-connection.ts';
import { kafkaDeadLetterTopic } from '../adapters/kafka-dead-letter-topic.ts';
import { sqsDeadLetterQueue } from '../adapters/sqs-dead-letter-queue.ts';
import { sqsRetryQueue } from '../adapters/sqs-retry-queue.ts';
import type { SqsSender } from '../adapters/sqs-sdk.ts';
import { sqsVisibility } from '../adapters/sqs-visibility.ts';
import { ENV } from '../config/env-names.ts';
import type { RuntimeConfig } from '../config/runtime-config.ts';
import type { ValidEvent } from '../events/envelope.ts';
import type { EventRegistry } from '../events/registry.ts';
import { CircuitBreaker, type CircuitState } from '../pipeline/circuit-breaker.ts';
import { DlqTarget } from '../pipeline/constants.ts';
import { resolveProcessors } from '../pipeline/resolve-processors.ts';
import type { VisibilityControl } from '../pipeline/retry-batch.ts';
import type { DeadLetterQueue, Processor, RetryQueue } from '../pipeline/types.ts';

interface PipelineDependencies {
  readonly registry: EventRegistry;
  readonly processorFor: (event: ValidEvent) => Processor;
  readonly retryQueue: RetryQueue;
  readonly deadLetters: DeadLetterQueue;
  readonly visibility: VisibilityControl;
  /** Brokers the Kafka DLQ producer uses when configuration names none (the consumer's event). */
  useBrokers(brokers: readonly string[]): void;
}

/**
 * Builds everything the handlers need from the configuration, once per container: processors
 * (routes or the registry's own), the SQS retry queue, the dead-letter target(s). Lambda's entry
 * points and the local runtime both call this, so they run the same code.
 *
 * @example
 * ```ts
 * const deps = buildPipelineDependencies(config, eventTypes, lazySqsClient(config));
 * ```
 */
function buildPipelineDependencies(
  config: RuntimeConfig,
  registry: EventRegistry,
  sqs: SqsSender,
  hooks: { onCircuitChange?: (route: string, from: CircuitState, to: CircuitState) => void } = {},
): PipelineDependencies {
  let eventBrokers: readonly string[] = [];
  // One breaker per downstream URL, shared by every type routed to it, for the container's life.
  const breakers = new Map<string, CircuitBreaker>();
  const guarded = (url: string, processor: Processor): Processor => {
    if (config.circuitBreaker.failureThreshold === 0) return processor;
    let breaker = breakers.get(url);
    if (!breaker) {
      const { origin, pathname } = new URL(url); // never a query string (tokens) in logs
      breaker = new CircuitBreaker(`${origin}${pathname}`, config.circuitBreaker, {
        onChange: hooks.onCircuitChange,
      });
      breakers.set(url, breaker);
    }
    return breaker.wrap(processor);
  };
  const processorFor = resolveProcessors(registry, config.routes, (url) =>
    guarded(url, httpProcessor(url, { timeoutMs: config.httpTimeoutMs })),
  );
  const targets: DeadLetterQueue[] = [];
  if (config.dlqTarget !== DlqTarget.KAFKA && config.dlqUrl) {
    targets.push(sqsDeadLetterQueue(sqs, config.dlqUrl, config.maxMessageBytes));
  }
  if (config.dlqTarget !== DlqTarget.SQS) {
    if (!KAFKA_DLQ_BUNDLED) {
      throw new Error(`${ENV.DLQ_TARGET}=${config.dlqTarget}: ${KAFKA_DLQ_NOT_BUNDLED}`);
    }
    targets.push(
      kafkaDeadLetterTopic({
        brokers: async () => resolveDlqBrokers(config, eventBrokers),
        connection: () => kafkaConnectionOptions(config),
        topic: config.dlqTopic,
      }),
    );
  }
  return {
    registry,
    processorFor,
    retryQueue: sqsRetryQueue(sqs, config.retryQueueUrl),
    deadLetters: targets.length === 1 && targets[0] ? targets[0] : fanOutDeadLetters(targets),
    visibility: sqsVisibility(sqs, config.retryQueueUrl),
    useBrokers(brokers) {
      eventBrokers = brokers;
    },
  };
}

/** Configured brokers win; then the event's; then MSK's own API for the configured cluster. */
async function resolveDlqBrokers(
  config: RuntimeConfig,
  eventBrokers: readonly string[],
): Promise<readonly string[]> {
  if (config.kafkaBrokers?.length) return config.kafkaBrokers;
  if (eventBrokers.length > 0) return eventBrokers;
  if (config.mskClusterArn) {
    const { GetBootstrapBrokersCommand, KafkaClient } = await import('@aws-sdk/client-kafka');
    const client = new KafkaClient({ region: config.region });
    try {
      const brokers = await client.send(new GetBootstrapBrokersCommand({ ClusterArn: config.mskClusterArn }));
      const list =
        config.kafkaAuth === 'iam'
          ? brokers.BootstrapBrokerStringSaslIam
          : config.kafkaAuth === 'scram'
            ? brokers.BootstrapBrokerStringSaslScram
            : brokers.BootstrapBrokerStringTls;
      if (list) return list.split(',');
    } finally {
      client.destroy();
    }
  }
  throw new Error(
    "the Kafka DLQ target needs brokers: set EVENTPIPE_KAFKA_BROKERS or EVENTPIPE_MSK_CLUSTER_ARN (the consumer also uses its event's bootstrapServers)",
  );
}

export type { PipelineDependencies };
export { buildPipelineDependencies };
