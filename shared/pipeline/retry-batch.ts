import type { ValidEvent } from '../events/envelope.ts';
import type { EventRegistry } from '../events/registry.ts';
import { backoffSeconds } from './backoff.ts';
import { type BatchOptions, type Deadline, handOff, runBatch, runWithDeadline } from './batch.ts';
import { MessageKind, Stage } from './constants.ts';
import { decodeValue } from './decode.ts';
import { DecodeError, isPermanent, PipelineError, TransientError, wasAttempted } from './errors.ts';
import { lostValueReason } from './kafka-event.ts';
import { type DeadLetter, type RetryQueueBody, RetryQueueBodySchema } from './messages.ts';
import type { PipelinePorts } from './ports.ts';
import { buildDeadLetter, buildScheduledRetry, describeFailure } from './queue-messages.ts';
import { validateEvent } from './validate.ts';

/** One SQS message as the retry worker needs it. */
interface RetryRecord {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  /** How many times SQS delivered this message, this delivery included. */
  readonly receiveCount: number;
}

type RetryDependencies = PipelinePorts & BatchOptions<MessageOutcome>;

/** How one retry-queue message was settled (see `OutcomeKind`). Every message gets exactly one. */
type MessageOutcome =
  | {
      readonly kind: 'processed';
      readonly messageId: string;
      readonly attempt: number;
      readonly eventType: string;
    }
  | {
      readonly kind: 'retry';
      readonly messageId: string;
      readonly attempt: number;
      readonly delaySeconds: number;
      readonly error: unknown;
    }
  | {
      readonly kind: 'dead-letter';
      readonly messageId: string;
      readonly letter: DeadLetter;
      readonly exhausted: boolean;
    }
  | { readonly kind: 'deferred'; readonly messageId: string }
  | {
      /** Short-circuited (open circuit): sent again with its attempts unchanged, this one deleted. */
      readonly kind: 'requeued';
      readonly messageId: string;
      readonly attemptsMade: number;
      readonly delaySeconds: number;
      readonly error: unknown;
    };

/**
 * Re-runs validate → process for a batch of retry messages and returns the ids to report as
 * batch item failures. A transient failure sets the message's next visibility to the backoff
 * delay (`ChangeMessageVisibility`) and reports it; at the last attempt, and for permanent
 * failures, the worker writes the dead letter itself and acknowledges the message. A redriven
 * dead letter starts a fresh attempt budget; past `maxRedrives` it goes back to the DLQ, parked.
 *
 * @example
 * ```ts
 * const { failedMessageIds } = await retryBatch(records, () => context.getRemainingTimeInMillis(), deps);
 * return { batchItemFailures: failedMessageIds.map((itemIdentifier) => ({ itemIdentifier })) };
 * ```
 */
async function retryBatch(
  records: readonly RetryRecord[],
  remainingMs: () => number,
  deps: RetryDependencies,
): Promise<{ failedMessageIds: string[]; outcomes: MessageOutcome[] }> {
  const outcomes = await runBatch(
    {
      items: records,
      keyOf: () => null,
      run: (record, deadline) => retryOne(record, deadline, deps),
      defer: (record) => ({ kind: 'deferred', messageId: record.messageId }),
    },
    remainingMs,
    deps,
  );
  const failed = new Set(
    outcomes.filter((o) => o.kind === 'retry' || o.kind === 'deferred').map((o) => o.messageId),
  );
  const letters = outcomes.flatMap((o) => (o.kind === 'dead-letter' ? [o] : []));
  try {
    // Retries need no hand-off here: a message backs off on its own queue (visibility), and a
    // short-circuited one was sent again as it settled.
    await handOff({ retries: [], letters: letters.map((o) => o.letter) }, deps);
  } catch {
    // Not acknowledged by the DLQ: keep the messages; they come back and are dead-lettered again.
    for (const o of letters) failed.add(o.messageId);
  }
  return { failedMessageIds: [...failed], outcomes };
}

async function retryOne(
  record: RetryRecord,
  deadline: Deadline,
  deps: RetryDependencies,
): Promise<MessageOutcome> {
  const delivery = parseRetryBody(record);
  if (delivery.kind === 'unreadable') {
    return deadLetter(record, null, delivery.error, { attempts: 0, redriveCount: 0 }, deps);
  }
  const { attemptsBefore, redriveCount } = delivery;
  if (redriveCount > deps.settings.maxRedrives) {
    const error = new PipelineError(
      `redriven ${redriveCount} times, more than the cap of ${deps.settings.maxRedrives}`,
      { stage: Stage.REDRIVE, permanent: true },
    );
    return deadLetter(record, delivery.body, error, { attempts: attemptsBefore, redriveCount }, deps, {
      parked: true,
    });
  }
  const attempt = attemptsBefore + record.receiveCount;
  let event: ValidEvent | undefined;
  try {
    event = eventOfDelivery(delivery, deps.registry);
    const context = {
      idempotencyKey: event.id,
      attempt,
      source: delivery.body.source,
      signal: deadline.signal,
    };
    await runWithDeadline(deps.processorFor(event), event, context, deadline);
    return { kind: 'processed', messageId: record.messageId, attempt, eventType: event.type };
  } catch (error) {
    if (isPermanent(error))
      return deadLetter(record, delivery.body, error, { attempts: attempt, redriveCount }, deps);
    if (event && !wasAttempted(error)) {
      const requeued = await requeue(record, delivery, event, attempt - 1, error, deps);
      if (requeued) return requeued;
    }
    if (attempt >= deps.settings.maxAttempts) {
      return deadLetter(record, delivery.body, error, { attempts: attempt, redriveCount }, deps, {
        exhausted: true,
      });
    }
    const retryAfter = error instanceof TransientError ? error.retryAfterSeconds : undefined;
    const delaySeconds = backoffSeconds(attempt, deps.settings, deps.random, retryAfter);
    try {
      await deps.visibility.changeVisibility(record.receiptHandle, delaySeconds);
    } catch {
      // The message still returns, after the queue's visibility timeout instead of the backoff.
    }
    return { kind: 'retry', messageId: record.messageId, attempt, delaySeconds, error };
  }
}

/**
 * SQS counts every receive, so a short-circuited one would spend an attempt: the message is sent
 * again (attempts as made so far) and this copy acknowledged. Its delay still grows with every
 * short-circuit (jittered, capped, at least until the circuit may close), so a long outage does
 * not bring every message back at once. If the send fails, the caller falls back to the
 * visibility backoff, which is safe but counts.
 */
async function requeue(
  record: RetryRecord,
  delivery: Extract<RetryDelivery, { kind: 'readable' }>,
  event: ValidEvent,
  attemptsMade: number,
  error: unknown,
  deps: RetryDependencies,
): Promise<MessageOutcome | undefined> {
  const retryAfter = error instanceof TransientError ? error.retryAfterSeconds : undefined;
  const shortCircuits =
    (delivery.body.kind === MessageKind.RETRY ? (delivery.body.shortCircuits ?? 0) : 0) + 1;
  const growth = Math.max(1, attemptsMade + shortCircuits);
  const retry = buildScheduledRetry({
    event,
    source: delivery.body.source,
    attempts: attemptsMade,
    redriveCount: delivery.redriveCount,
    failure: delivery.body.failure,
    shortCircuits,
    delaySeconds: backoffSeconds(growth, deps.settings, deps.random, retryAfter),
  });
  try {
    await deps.retryQueue.schedule([retry]);
  } catch {
    return undefined;
  }
  return {
    kind: 'requeued',
    messageId: record.messageId,
    attemptsMade,
    delaySeconds: retry.delaySeconds,
    error,
  };
}

function deadLetter(
  record: RetryRecord,
  body: RetryQueueBody | null,
  error: unknown,
  counts: { attempts: number; redriveCount: number },
  deps: RetryDependencies,
  flags: { exhausted?: boolean; parked?: boolean } = {},
): MessageOutcome {
  const now = new Date((deps.now ?? Date.now)());
  const described = describeFailure(error, { ...counts, now }, body?.failure);
  // A parked letter keeps the failure that put it in the DLQ; the redrive cap is what changed.
  const failure =
    flags.parked && body?.failure
      ? {
          ...body.failure,
          redriveCount: counts.redriveCount,
          lastFailureAt: described.lastFailureAt,
          parked: true,
        }
      : described;
  const letter = body
    ? buildDeadLetter({
        event: body.event,
        raw: body.kind === MessageKind.DEAD_LETTER ? body.raw : null,
        source: body.source,
        failure,
      })
    : unreadableLetter(record, failure);
  return { kind: 'dead-letter', messageId: record.messageId, letter, exhausted: flags.exhausted ?? false };
}

/** A message on the retry queue that is not ours: kept whole, base64, with no coordinates. */
function unreadableLetter(record: RetryRecord, failure: DeadLetter['failure']): DeadLetter {
  return buildDeadLetter({
    event: null,
    raw: { keyBase64: null, valueBase64: Buffer.from(record.body).toString('base64') },
    source: {
      topic: 'unknown',
      partition: -1,
      offset: -1,
      timestamp: 0,
      timestampType: 'UNKNOWN',
      key: null,
      keyBase64: null,
      headers: {},
    },
    failure: { ...failure, stage: failure.stage === Stage.PROCESS ? Stage.DECODE : failure.stage },
  });
}

/** A retry-queue message, understood: where its attempt budget and redrive count stand. */
type RetryDelivery =
  | {
      readonly kind: 'readable';
      readonly body: RetryQueueBody;
      /** Attempts made before this message reached the retry queue (0 after a redrive). */
      readonly attemptsBefore: number;
      readonly redriveCount: number;
    }
  | { readonly kind: 'unreadable'; readonly body: null; readonly error: DecodeError };

/**
 * Reads a retry-queue message: a retry message from the consumer, or a dead letter an operator
 * redrove (which starts a fresh attempt budget and counts one more redrive).
 *
 * @example
 * ```ts
 * const delivery = parseRetryBody({ body: record.body });
 * ```
 */
function parseRetryBody(record: { readonly body: string }): RetryDelivery {
  let json: unknown;
  try {
    json = JSON.parse(record.body);
  } catch {
    return { kind: 'unreadable', body: null, error: new DecodeError('retry queue message is not JSON') };
  }
  const parsed = RetryQueueBodySchema.safeParse(json);
  if (!parsed.success) {
    const reason = parsed.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.')}: ${i.message}`)
      .join('; ');
    return {
      kind: 'unreadable',
      body: null,
      error: new DecodeError(`not a retry message or dead letter: ${reason}`),
    };
  }
  const body = parsed.data;
  if (body.kind === MessageKind.DEAD_LETTER) {
    return { kind: 'readable', body, attemptsBefore: 0, redriveCount: body.failure.redriveCount + 1 };
  }
  return { kind: 'readable', body, attemptsBefore: body.attempts, redriveCount: body.redriveCount };
}

/**
 * The validated event of a delivery. A redriven dead letter of a record that never decoded is
 * decoded again from its raw bytes (the decoder or the schemas may have been fixed since); one whose
 * value could not be kept (a malformed record) fails saying so, not as a tombstone.
 */
function eventOfDelivery(
  delivery: Extract<RetryDelivery, { kind: 'readable' }>,
  registry: EventRegistry,
): ValidEvent {
  const { body } = delivery;
  if (body.event) return validateEvent(body.event, registry);
  if (body.kind === MessageKind.DEAD_LETTER && body.raw) {
    // A value lost to a malformed record is not a tombstone: say what happened to it.
    const lost = lostValueReason(body.raw);
    if (lost !== undefined) throw new DecodeError(lost);
    return validateEvent(decodeValue({ value: body.raw.valueBase64 }), registry);
  }
  throw new DecodeError('dead letter carries neither an event nor its raw record');
}

export type { MessageOutcome, RetryRecord };
export { retryBatch };
