import type { ValidEvent } from '../events/envelope.ts';
import type { EventRegistry } from '../events/registry.ts';
import { backoffSeconds } from './backoff.ts';
import { type BatchOptions, type Deadline, handOff, runBatch, runWithDeadline } from './batch.ts';
import { Stage } from './constants.ts';
import { decodeValue } from './decode.ts';
import { DecodeError, isPermanent, PipelineError, TransientError, wasAttempted } from './errors.ts';
import { type FlatRecord, flattenBatch, type KafkaEvent } from './kafka-event.ts';
import type { DeadLetter, KafkaCoordinates, RawRecord } from './messages.ts';
import type { PipelinePorts } from './ports.ts';
import {
  buildDeadLetter,
  buildScheduledRetry,
  describeFailure,
  type ScheduledRetry,
} from './queue-messages.ts';
import { validateEvent } from './validate.ts';

/** A record that decoded and validated: ready for its processor. */
interface ReadyRecord {
  readonly coordinates: KafkaCoordinates;
  readonly event: ValidEvent;
  /** Per-key ordering: records with the same order key run one after the other. */
  readonly orderKey: string | null;
}

/** How one record of a batch was settled (see `OutcomeKind`). Every record gets exactly one. */
type RecordOutcome =
  | { readonly kind: 'processed'; readonly record: ReadyRecord; readonly latencyMs: number }
  | {
      readonly kind: 'retry';
      readonly record: ReadyRecord;
      readonly error: unknown;
      readonly attempts: number;
      readonly delaySeconds: number;
    }
  | { readonly kind: 'deferred'; readonly record: ReadyRecord }
  | {
      readonly kind: 'dead-letter';
      readonly coordinates: KafkaCoordinates;
      readonly event: ValidEvent | null;
      readonly raw: Readonly<RawRecord> | null;
      readonly error: unknown;
      readonly attempts: number;
    };

type ConsumeDependencies = Omit<PipelinePorts, 'visibility'> & BatchOptions<RecordOutcome>;

/**
 * Runs a Kafka batch through decode → validate → process and settles every record exactly one
 * way: processed, handed to the retry queue (failed, or deferred at the deadline), or
 * dead-lettered. Records of one key run in offset order, different keys concurrently (at most
 * `recordConcurrency`). Records not started when the remaining time falls below the margin are
 * deferred to the retry queue.
 *
 * Resolves only once every retry message and dead letter is acknowledged; otherwise throws
 * `HandOffError`, and the caller must fail the invocation so that the batch is redelivered.
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
  const ready: ReadyRecord[] = [];
  const refused: RecordOutcome[] = [];
  for (const item of flattenBatch(event)) {
    const prepared = prepareRecord(item, deps.registry, deps.settings.maxRecordBytes);
    if ('kind' in prepared) refused.push(prepared);
    else ready.push(prepared);
  }
  const outcomes = await runBatch(
    {
      settled: refused,
      items: ready,
      keyOf: (record) => record.orderKey,
      run: (record, deadline) => processRecord(record, deadline, deps),
      defer: (record) => ({ kind: 'deferred', record }),
    },
    remainingMs,
    deps,
  );
  const brokers = event.bootstrapServers?.split(',');
  await handOff(toHandOff(outcomes, new Date(now()), deps.settings.maxMessageBytes), deps, { brokers });
  return outcomes;
}

/**
 * Decodes and validates one flattened record. Both stages are pure and cheap, so the whole batch
 * is prepared before any processing starts: poison records are dead-lettered at once (they never
 * block a partition), and records deferred at the deadline are already valid events.
 */
function prepareRecord(
  item: FlatRecord,
  registry: EventRegistry,
  maxRecordBytes: number,
): ReadyRecord | RecordOutcome {
  if (!item.ok) {
    return {
      kind: 'dead-letter',
      coordinates: item.coordinates,
      event: null,
      raw: item.raw,
      error: new DecodeError(item.reason),
      attempts: 1,
    };
  }
  try {
    const event = validateEvent(decodeValue(item.record, maxRecordBytes), registry);
    const { topic, partition, keyBase64 } = item.coordinates;
    const orderKey = keyBase64 === null ? null : `${topic}\u0000${partition}\u0000${keyBase64}`;
    return { coordinates: item.coordinates, event, orderKey };
  } catch (error) {
    // Built here, not before the try: a record that validates never needs it (one object less per record).
    const explained = withDeclaredFormat(error, item.record.valueSchemaMetadata?.dataFormat);
    return {
      kind: 'dead-letter',
      coordinates: item.coordinates,
      event: null,
      raw: { keyBase64: item.coordinates.keyBase64, valueBase64: item.record.value ?? null },
      error: explained,
      attempts: 1,
    };
  }
}

/**
 * A value that does not decode and that Lambda says is Avro or Protobuf (a schema registry format)
 * is not corrupt: it is a format the pipeline does not read. The reason says so, so that an
 * operator looks at the producer, not at the broker.
 */
function withDeclaredFormat(error: unknown, dataFormat: string | undefined): unknown {
  if (!(error instanceof DecodeError) || dataFormat === undefined || dataFormat === 'JSON') return error;
  return new DecodeError(
    `${error.message}; the record declares valueSchemaMetadata.dataFormat ${dataFormat}, and the pipeline reads JSON CloudEvents only`,
    { cause: error },
  );
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
    const delaySeconds = backoffSeconds(1, deps.settings, deps.random, retryAfter);
    return { kind: 'retry', record, error, attempts, delaySeconds };
  }
}

/**
 * The retry messages and dead letters of a settled batch. A retry message larger than
 * `maxMessageBytes` cannot travel through SQS: that record is dead-lettered now instead (the DLQ
 * keeps its coordinates).
 */
function toHandOff(
  outcomes: readonly RecordOutcome[],
  at: Date,
  maxMessageBytes: number,
): { retries: ScheduledRetry[]; letters: DeadLetter[] } {
  const retries: ScheduledRetry[] = [];
  const letters: DeadLetter[] = [];
  for (const outcome of outcomes) {
    if (outcome.kind === 'processed') continue;
    if (outcome.kind === 'dead-letter') {
      letters.push(
        letterOf(outcome.event, outcome.raw, outcome.coordinates, outcome.error, outcome.attempts, at),
      );
      continue;
    }
    const { event, coordinates } = outcome.record;
    const failed = outcome.kind === 'retry' ? outcome : undefined;
    const retry = buildScheduledRetry({
      event,
      source: coordinates,
      attempts: failed?.attempts ?? 0,
      redriveCount: 0,
      failure:
        failed && describeFailure(failed.error, { attempts: failed.attempts, redriveCount: 0, now: at }),
      delaySeconds: failed?.delaySeconds ?? 0,
    });
    // Serialised once: the size check's JSON is the body the retry queue sends.
    const body = JSON.stringify(retry.message);
    const bytes = Buffer.byteLength(body);
    if (bytes <= maxMessageBytes) {
      retries.push({ ...retry, body });
      continue;
    }
    const error = failed?.error ?? deferredTooLarge(bytes, maxMessageBytes);
    letters.push(letterOf(event, null, coordinates, error, failed?.attempts ?? 0, at));
  }
  return { retries, letters };
}

function letterOf(
  event: ValidEvent | null,
  raw: Readonly<RawRecord> | null,
  source: KafkaCoordinates,
  error: unknown,
  attempts: number,
  now: Date,
): DeadLetter {
  return buildDeadLetter({
    event,
    raw,
    source,
    failure: describeFailure(error, { attempts, redriveCount: 0, now }),
  });
}

/** Why a deferred record, which never failed, is dead-lettered: its retry message cannot go through SQS. */
function deferredTooLarge(bytes: number, maxMessageBytes: number): PipelineError {
  return new PipelineError(
    `not started before the invocation deadline, and its retry message (${bytes} bytes) is over maxMessageBytes (${maxMessageBytes})`,
    { stage: Stage.DEFER, permanent: true },
  );
}

export type { ReadyRecord, RecordOutcome };
export { consumeBatch };
