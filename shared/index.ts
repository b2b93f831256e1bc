/**
 * eventpipe's public surface: what you build with, and nothing else (no test helpers, no adapters'
 * internals). Import from here (`eventpipe` for a package user, `#shared/index.ts` inside this
 * repository) rather than from the files behind it, which may move.
 *
 * - **Event types:** {@link defineEventType} (one type, its zod data schema and optionally an
 *   in-code {@link Processor}) and {@link defineRegistry} (`type → definition`).
 * - **Errors a processor throws:** {@link PermanentError} (dead-lettered at once) and
 *   {@link TransientError} (retried with backoff); anything else thrown counts as transient.
 * - **Handlers:** {@link createKafkaConsumerHandler} and {@link createRetryWorkerHandler}, and
 *   what builds their options: {@link loadRuntimeConfig}, {@link createPowertools},
 *   {@link buildPipelineDependencies}, {@link lazySqsClient} and {@link reportCircuitChanges}; the
 *   settings are the {@link RuntimeConfig} itself.
 *
 * @example
 * An event type with an in-code processor, in a file of its own:
 * ```ts
 * import * as z from 'zod/mini';
 * import { defineEventType, PermanentError } from 'eventpipe';
 *
 * export const stockAdjusted = defineEventType({
 *   dataSchema: z.object({ sku: z.string().check(z.minLength(1)), delta: z.int() }),
 *   process: async (event, { signal, idempotencyKey }) => {
 *     if (!(await warehouse.knows(event.data.sku))) throw new PermanentError(`unknown SKU ${event.data.sku}`);
 *     await warehouse.adjust(event.data, { signal, idempotencyKey }); // a rejection is retried
 *   },
 * });
 * ```
 *
 * @example
 * A Kafka consumer function (the retry worker is the same with `createRetryWorkerHandler`):
 * ```ts
 * import {
 *   buildPipelineDependencies, createKafkaConsumerHandler, createPowertools, defineRegistry,
 *   lazySqsClient, loadRuntimeConfig, reportCircuitChanges,
 * } from 'eventpipe';
 * import { stockAdjusted } from './stock-adjusted.ts';
 *
 * const registry = defineRegistry({ 'stock.adjusted': stockAdjusted });
 * const config = loadRuntimeConfig(process.env); // a bad configuration fails the cold start
 * const { logger, metrics } = createPowertools(config, 'kafka-consumer');
 * const deps = buildPipelineDependencies(config, registry, lazySqsClient(config), {
 *   onCircuitChange: reportCircuitChanges(logger, metrics),
 * });
 * export const handler = createKafkaConsumerHandler({ deps, settings: config, logger, metrics });
 * ```
 *
 * @module
 */

export { lazySqsClient } from './adapters/sqs-sdk.ts';
export { loadRuntimeConfig, type RuntimeConfig } from './config/runtime-config.ts';
export type { ValidEvent } from './events/envelope.ts';
export {
  defineEventType,
  defineRegistry,
  type EventRegistry,
  type EventTypeDefinition,
} from './events/registry.ts';
export type { HandlerOptions } from './handlers/invocation-context.ts';
export { createKafkaConsumerHandler } from './handlers/kafka-consumer-handler.ts';
export { buildPipelineDependencies } from './handlers/pipeline-dependencies.ts';
export { createRetryWorkerHandler } from './handlers/retry-worker-handler.ts';
export { reportCircuitChanges } from './observability/circuit-events.ts';
export { createPowertools } from './observability/powertools.ts';
export { PermanentError, TransientError } from './pipeline/errors.ts';
export type { PipelinePorts, ProcessContext, Processor } from './pipeline/ports.ts';
