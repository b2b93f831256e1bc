import { httpProcessor } from '../adapters/http-processor.ts';
import {
  KAFKA_DLQ_BUNDLED,
  KAFKA_DLQ_NOT_BUNDLED,
  kafkaConnectionOptions,
  resolveKafkaBrokers,
} from '../adapters/kafka-connection.ts';
import { kafkaDeadLetterTopic } from '../adapters/kafka-dead-letter-topic.ts';
import { sqsDeadLetterQueue, sqsRetryQueue, sqsVisibility } from '../adapters/sqs-queues.ts';
import type { SqsSender } from '../adapters/sqs-sdk.ts';
import { ENV } from '../config/env-names.ts';
import type { RuntimeConfig } from '../config/runtime-config.ts';
import type { ValidEvent } from '../events/envelope.ts';
import type { EventRegistry } from '../events/registry.ts';
import { CircuitBreaker, type CircuitState } from '../pipeline/circuit-breaker.ts';
import { DlqTarget } from '../pipeline/constants.ts';
import type { DeadLetter } from '../pipeline/messages.ts';
import type { DeadLetterQueue, LetterOrigin, PipelinePorts, Processor } from '../pipeline/ports.ts';

/**
 * Builds everything the handlers need from the configuration, once per container: processors
 * (routes or the registry's own), the SQS retry queue, the dead-letter target(s). Lambda's entry
 * points and the local runtime both call this, so they run the same code. Nothing in it changes
 * per invocation.
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
): PipelinePorts {
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
        brokers: (eventBrokers) => resolveKafkaBrokers(config, eventBrokers),
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
  };
}

/**
 * Builds the `event → processor` lookup once, at cold start: a configured route wins, else the
 * type's own `process`. Every registered type must have one, and every route must name a
 * registered type; otherwise this throws listing them all, so a deployment with a gap fails
 * before it consumes anything.
 *
 * @param makeRouteProcessor - builds the processor for a route URL (the HTTP webhook processor)
 * @example
 * ```ts
 * const processorFor = resolveProcessors(eventTypes, config.routes, (url) => httpProcessor(url, opts));
 * ```
 */
function resolveProcessors(
  registry: EventRegistry,
  routes: Readonly<Record<string, string>>,
  makeRouteProcessor: (url: string) => Processor,
): (event: ValidEvent) => Processor {
  const processors = new Map<string, Processor>();
  const problems: string[] = [];
  for (const type of Object.keys(routes)) {
    if (!Object.hasOwn(registry, type)) problems.push(`route for unknown event type "${type}"`);
  }
  for (const [type, definition] of Object.entries(registry)) {
    const url = routes[type];
    const processor = url ? makeRouteProcessor(url) : (definition.process as Processor | undefined);
    if (processor) processors.set(type, processor);
    else problems.push(`event type "${type}" has neither a route (EVENTPIPE_ROUTES) nor a processor`);
  }
  if (problems.length > 0) throw new Error(`invalid processor configuration: ${problems.join('; ')}`);
  return (event) => {
    const processor = processors.get(event.type);
    // validateEvent only lets registered types through, and each has a processor.
    if (!processor) throw new Error(`no processor for ${event.type}`);
    return processor;
  };
}

/**
 * Sends every dead letter to each target (DLQ target `both`): acknowledged only when all targets
 * acknowledged, so a dead letter is never committed past while missing from one of them.
 *
 * @example
 * ```ts
 * const deadLetters = fanOutDeadLetters([sqsDlq, kafkaDlqTopic]);
 * ```
 */
function fanOutDeadLetters(targets: readonly DeadLetterQueue[]): DeadLetterQueue {
  return {
    async send(letters: readonly DeadLetter[], origin?: LetterOrigin): Promise<void> {
      await Promise.all(targets.map((target) => target.send(letters, origin)));
    },
  };
}

export { buildPipelineDependencies };
