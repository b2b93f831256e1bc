import type { BatchMetrics } from '../observability/batch-metrics.ts';
import { deadLetteredByStage, MetricName } from '../observability/metric-names.ts';
import { consumeBatch, type RecordOutcome } from '../pipeline/consume-batch.ts';
import { HandOffError, stageOf, wasAttempted } from '../pipeline/errors.ts';
import { KafkaEventSchema } from '../pipeline/kafka-event.ts';
import type { HandlerOptions, InvocationContext } from './invocation-context.ts';
import { countOutcome, errorKeys, invocation, keysOf } from './invocation-context.ts';

/** The levels at which Logger prints `debug` lines. */
const DEBUG_LEVELS: ReadonlySet<string> = new Set(['TRACE', 'DEBUG']);

/**
 * The Kafka consumer's Lambda handler: settles every record of the batch (processed, retry queue
 * or DLQ), logs each failure with its coordinates, publishes the batch's metrics once, and throws
 * only when a hand-off was not acknowledged — so that the event source mapping redelivers the
 * batch instead of committing past records that are nowhere durable.
 *
 * @example
 * ```ts
 * export const handler = createKafkaConsumerHandler({ deps, settings: config, logger, metrics });
 * ```
 */
function createKafkaConsumerHandler(options: HandlerOptions) {
  const { deps, logger } = options;
  const now = options.now ?? Date.now;
  return (rawEvent: unknown, context: InvocationContext): Promise<void> =>
    invocation(options, context, async (batch) => {
      const parsed = KafkaEventSchema.safeParse(rawEvent);
      if (!parsed.success) {
        // Not a record problem: the function is wired to something that is not a Kafka ESM.
        throw new Error(`not a Kafka event: ${parsed.error.issues[0]?.message ?? 'unknown shape'}`);
      }
      // Read once per batch, after the sampling draw: below DEBUG, a processed record builds no log line.
      const debug = DEBUG_LEVELS.has(logger.getLevelName());
      try {
        const outcomes = await consumeBatch(parsed.data, () => context.getRemainingTimeInMillis(), {
          ...deps,
          settings: options.settings,
          now,
          random: options.random,
          onOutcome: (outcome) => observeRecord(outcome, batch, logger, now, debug),
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
      }
    });
}

function observeRecord(
  outcome: RecordOutcome,
  batch: BatchMetrics,
  logger: HandlerOptions['logger'],
  now: () => number,
  debug: boolean,
): void {
  const coordinates = outcome.kind === 'dead-letter' ? outcome.coordinates : outcome.record.coordinates;
  const event = outcome.kind === 'dead-letter' ? outcome.event : outcome.record.event;
  countOutcome(batch, outcome.kind);
  batch.observe(MetricName.EVENT_AGE, Math.max(0, now() - coordinates.timestamp));
  if (outcome.kind === 'processed') {
    batch.observe(MetricName.PROCESSING_LATENCY, outcome.latencyMs);
    if (debug)
      logger.debug('record processed', { ...keysOf(coordinates, event), latencyMs: outcome.latencyMs });
    return;
  }
  const keys = keysOf(coordinates, event);
  if (outcome.kind === 'deferred') {
    logger.info('record deferred to the retry queue (invocation deadline)', keys);
  } else if (outcome.kind === 'retry') {
    if (!wasAttempted(outcome.error)) batch.count(MetricName.SHORT_CIRCUITED);
    const { delaySeconds } = outcome;
    logger.warn('record scheduled for retry', { ...keys, ...errorKeys(outcome.error), delaySeconds });
  } else {
    batch.count(deadLetteredByStage(stageOf(outcome.error)));
    logger.warn('record dead-lettered', { ...keys, ...errorKeys(outcome.error) });
  }
}

export { createKafkaConsumerHandler };
