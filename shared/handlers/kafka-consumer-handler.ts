import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { BatchMetrics } from '../observability/batch-metrics.ts';
import { deadLetteredByStage, MetricName } from '../observability/metric-names.ts';
import { type ConsumeSettings, consumeBatch } from '../pipeline/consume-batch.ts';
import { HandOffError, stageOf, wasAttempted } from '../pipeline/errors.ts';
import { KafkaEventSchema } from '../pipeline/kafka-event.ts';
import type { RecordOutcome } from '../pipeline/outcomes.ts';
import {
  type InvocationContext,
  type InvocationLogger,
  startInvocationLogging,
} from './invocation-context.ts';
import type { PipelineDependencies } from './pipeline-dependencies.ts';

/** The levels at which Logger prints `debug` lines. */
const DEBUG_LEVELS: ReadonlySet<string> = new Set(['TRACE', 'DEBUG']);

interface KafkaConsumerHandlerOptions {
  readonly deps: PipelineDependencies;
  readonly settings: ConsumeSettings;
  readonly logger: Pick<Logger, 'debug' | 'info' | 'warn' | 'error' | 'getLevelName'> & InvocationLogger;
  readonly metrics: Pick<Metrics, 'addMetric' | 'publishStoredMetrics'>;
  readonly now?: () => number;
  readonly random?: () => number;
}

/**
 * The Kafka consumer's Lambda handler: settles every record of the batch (processed, retry queue
 * or DLQ), logs each failure with its coordinates, publishes the batch's metrics once, and throws
 * only when a hand-off was not acknowledged — so that the event source mapping redelivers the
 * batch instead of committing past records that are nowhere durable.
 *
 * @example
 * ```ts
 * export const handler = createKafkaConsumerHandler({ deps, settings, logger, metrics });
 * ```
 */
function createKafkaConsumerHandler(options: KafkaConsumerHandlerOptions) {
  const { deps, logger, metrics } = options;
  const now = options.now ?? Date.now;
  return async (rawEvent: unknown, context: InvocationContext): Promise<void> => {
    startInvocationLogging(logger, context);
    const parsed = KafkaEventSchema.safeParse(rawEvent);
    if (!parsed.success) {
      // Not a record problem: the function is wired to something that is not a Kafka ESM.
      throw new Error(`not a Kafka event: ${parsed.error.issues[0]?.message ?? 'unknown shape'}`);
    }
    if (parsed.data.bootstrapServers) deps.useBrokers(parsed.data.bootstrapServers.split(','));
    const batch = new BatchMetrics();
    // Read once per batch, after the sampling draw: below DEBUG, a processed record builds no log line.
    const debug = DEBUG_LEVELS.has(logger.getLevelName());
    try {
      const outcomes = await consumeBatch(parsed.data, () => context.getRemainingTimeInMillis(), {
        ...deps,
        settings: options.settings,
        now,
        random: options.random,
        onOutcome: (outcome) => observe(outcome, batch, logger, now, debug),
      });
      batch.observe(MetricName.BATCH_SIZE, outcomes.length, 'Count');
      logger.info('batch settled', {
        records: outcomes.length,
        processed: batch.countOf(MetricName.PROCESSED),
        retried: batch.countOf(MetricName.RETRIED),
        deferred: batch.countOf(MetricName.DEFERRED),
        deadLettered: batch.countOf(MetricName.DEAD_LETTERED),
      });
    } catch (error) {
      if (error instanceof HandOffError) batch.count(MetricName.HAND_OFF_FAILURES);
      logger.error('batch failed; the event source will redeliver it', { error });
      throw error;
    } finally {
      batch.publish(metrics);
    }
  };
}

function observe(
  outcome: RecordOutcome,
  batch: BatchMetrics,
  logger: KafkaConsumerHandlerOptions['logger'],
  now: () => number,
  debug: boolean,
): void {
  const coordinates = outcome.kind === 'dead-letter' ? outcome.coordinates : outcome.record.coordinates;
  const event = outcome.kind === 'dead-letter' ? outcome.event : outcome.record.event;
  batch.count(MetricName.RECEIVED);
  batch.observe(MetricName.EVENT_AGE, Math.max(0, now() - coordinates.timestamp));
  if (outcome.kind === 'processed') {
    batch.count(MetricName.PROCESSED);
    batch.observe(MetricName.PROCESSING_LATENCY, outcome.latencyMs);
    if (debug)
      logger.debug('record processed', { ...keysOf(coordinates, event), latencyMs: outcome.latencyMs });
    return;
  }
  const keys = keysOf(coordinates, event);
  if (outcome.kind === 'retry' && outcome.error === undefined) {
    batch.count(MetricName.DEFERRED);
    logger.info('record deferred to the retry queue (invocation deadline)', keys);
  } else if (outcome.kind === 'retry') {
    batch.count(MetricName.RETRIED);
    if (!wasAttempted(outcome.error)) batch.count(MetricName.SHORT_CIRCUITED);
    logger.warn('record scheduled for retry', {
      ...keys,
      ...errorKeys(outcome.error),
      delaySeconds: outcome.delaySeconds,
    });
  } else {
    batch.count(MetricName.DEAD_LETTERED);
    batch.count(deadLetteredByStage(stageOf(outcome.error)));
    logger.warn('record dead-lettered', { ...keys, ...errorKeys(outcome.error) });
  }
}

/** Where a record came from and which event it carried: what every record log line says. */
function keysOf(
  coordinates: { topic: string; partition: number; offset: number },
  event: { id: string; type: string } | null,
) {
  return {
    topic: coordinates.topic,
    partition: coordinates.partition,
    offset: coordinates.offset,
    eventId: event?.id,
    eventType: event?.type,
  };
}

/** Error name, stage and message only: never the payload. */
function errorKeys(error: unknown): Record<string, string> {
  const asError = error instanceof Error ? error : new Error(String(error));
  return { stage: stageOf(error), errorName: asError.name, errorMessage: asError.message.slice(0, 500) };
}

export type { KafkaConsumerHandlerOptions };
export { createKafkaConsumerHandler, errorKeys };
