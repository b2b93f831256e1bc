import type { ValidEvent } from '../events/envelope.ts';
import type { EventRegistry } from '../events/registry.ts';
import { type BackoffPolicy, backoffSeconds } from './backoff.ts';
import { HandOffError, isPermanent, TransientError, wasAttempted } from './errors.ts';
import { flattenBatch } from './flatten.ts';
import type { KafkaEvent } from './kafka-event.ts';
import { runByKey } from './key-scheduler.ts';
import type { DeadLetter } from './messages.ts';
import type { ReadyRecord, RecordOutcome } from './outcomes.ts';
import { isReady, prepareRecord } from './prepare-record.ts';
import { type Deadline, runWithDeadline, startDeadline } from './process.ts';
import { toDeadLetter, toScheduledRetry } from './queue-messages.ts';
import type { DeadLetterQueue, Processor, RetryQueue, ScheduledRetry } from './types.ts';

/** The knobs of one batch; see `RuntimeConfig` for their meaning and defaults. */
interface ConsumeSettings {
  readonly recordConcurrency: number;
  readonly deadlineMarginMs: number;
  readonly maxAttempts: number;
  readonly backoff: BackoffPolicy;
  /** A retry message larger than this cannot travel through SQS and is dead-lettered instead. */
  readonly maxMessageBytes: number;
  /** A record value larger than this is dead-lettered without being decoded. */
  readonly maxRecordBytes: number;
}

interface ConsumeDependencies {
  readonly registry: EventRegistry;
  /** The processor for a validated event's type (resolved at cold start). */
  readonly processorFor: (event: ValidEvent) => Processor;
  readonly retryQueue: RetryQueue;
  readonly deadLetters: DeadLetterQueue;
  readonly settings: ConsumeSettings;
  readonly now?: () => number;
  readonly random?: () => number;
  /** Called once per record as it settles: logs and metrics hang here. */
  readonly onOutcome?: (outcome: RecordOutcome) => void;
}

/**
 * Runs a Kafka batch through decode → validate → process and settles every record exactly one
 * way: processed, handed to the retry queue, or dead-lettered. Records of one key run in offset
 * order, different keys concurrently (at most `recordConcurrency`). Records not started when the
 * remaining time falls below the margin are deferred to the retry queue.
 *
 * Resolves only once every retry message and dead letter is acknowledged; otherwise throws
 * {@link HandOffError}, and the caller must fail the invocation so that the batch is redelivered.
 *
 * @param remainingMs - the invocation's remaining time, as `context.getRemainingTimeInMillis`
 * @example
 * ```ts
 * const outcomes = await consumeBatch(event, () => context.getRemainingTimeInMillis(), deps);
 * ```
 */
async function consumeBatch(
  event: KafkaEvent,
  remainingMs: () => number,
  deps: ConsumeDependencies,
): Promise<RecordOutcome[]> {
  const now = deps.now ?? Date.now;
  const { settings } = deps;
  const outcomes: RecordOutcome[] = [];
  const settle = (outcome: RecordOutcome) => {
    outcomes.push(outcome);
    deps.onOutcome?.(outcome);
  };
  const ready: ReadyRecord[] = [];
  for (const item of flattenBatch(event)) {
    const prepared = prepareRecord(item, deps.registry, settings.maxRecordBytes);
    if (isReady(prepared)) ready.push(prepared);
    else settle(prepared);
  }
  // The processors' deadline leaves the margin for handing off what failed or was deferred; one
  // for the whole batch (a timer per record cost time and garbage where nothing hangs).
  const deadline = startDeadline(now() + remainingMs() - settings.deadlineMarginMs, now);
  try {
    await runByKey(
      ready,
      (record) => record.orderKey,
      settings.recordConcurrency,
      async (record) => settle(await processRecord(record, deadline, deps)),
      () => remainingMs() > settings.deadlineMarginMs,
      (record) => settle({ kind: 'retry', record, attempts: 0, delaySeconds: 0 }),
    );
  } finally {
    deadline.clear();
  }
  await handOff(outcomes, new Date(now()), deps);
  return outcomes;
}

async function processRecord(
  record: ReadyRecord,
  deadline: Deadline,
  deps: ConsumeDependencies,
): Promise<RecordOutcome> {
  const now = deps.now ?? Date.now;
  const started = now();
  try {
    const context = {
      idempotencyKey: record.event.id,
      attempt: 1,
      source: record.coordinates,
      signal: deadline.signal,
    };
    await runWithDeadline(deps.processorFor(record.event), record.event, context, deadline);
    return { kind: 'processed', record, latencyMs: now() - started };
  } catch (error) {
    const attempts = wasAttempted(error) ? 1 : 0;
    if (isPermanent(error) || attempts >= deps.settings.maxAttempts) {
      return {
        kind: 'dead-letter',
        coordinates: record.coordinates,
        event: record.event,
        raw: null,
        error,
        attempts,
      };
    }
    const retryAfter = error instanceof TransientError ? error.retryAfterSeconds : undefined;
    const delaySeconds = backoffSeconds(1, deps.settings.backoff, deps.random, retryAfter);
    return { kind: 'retry', record, error, attempts, delaySeconds };
  }
}

/** Sends retries and dead letters concurrently; fails if either target did not acknowledge all. */
async function handOff(
  outcomes: readonly RecordOutcome[],
  at: Date,
  deps: ConsumeDependencies,
): Promise<void> {
  const retries: ScheduledRetry[] = [];
  const letters: DeadLetter[] = [];
  for (const outcome of outcomes) {
    if (outcome.kind === 'dead-letter') letters.push(toDeadLetter(outcome, at));
    if (outcome.kind !== 'retry') continue;
    const retry = toScheduledRetry(outcome, at);
    // Serialised once: the size check's JSON is the body the retry queue sends.
    const body = JSON.stringify(retry.message);
    if (Buffer.byteLength(body) <= deps.settings.maxMessageBytes) {
      retries.push({ ...retry, body });
      continue;
    }
    // Too large for the retry queue: dead-letter it now (the DLQ keeps its coordinates, flagged).
    const error = outcome.error ?? new TransientError('deferred at the deadline');
    const { coordinates, event } = outcome.record;
    letters.push(
      toDeadLetter(
        { kind: 'dead-letter', coordinates, event, raw: null, error, attempts: outcome.attempts },
        at,
      ),
    );
  }
  const results = await Promise.allSettled([
    retries.length > 0 ? deps.retryQueue.schedule(retries) : Promise.resolve(),
    letters.length > 0 ? deps.deadLetters.send(letters) : Promise.resolve(),
  ]);
  const failures = results.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []));
  if (failures.length > 0) {
    throw new HandOffError(
      `hand-off failed, the batch must be redelivered: ${failures.map((f) => (f as Error).message).join('; ')}`,
      { failedCount: failures.length, cause: failures[0] },
    );
  }
}

export type { ConsumeDependencies, ConsumeSettings };
export { consumeBatch };
