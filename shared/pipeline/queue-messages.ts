import { SQS_MAX_DELAY_SECONDS } from '../config/limits.ts';
import type { ValidEvent } from '../events/envelope.ts';
import { MessageKind } from './constants.ts';
import { describeFailure } from './failure.ts';
import type { DeadLetter, Failure, QueuedEvent } from './messages.ts';
import type { RecordOutcome } from './outcomes.ts';
import type { KafkaCoordinates, ScheduledRetry } from './types.ts';

type RetryOutcome = Extract<RecordOutcome, { kind: 'retry' }>;
type DeadLetterOutcome = Extract<RecordOutcome, { kind: 'dead-letter' }>;

/**
 * The retry message for a record the consumer could not finish. The first delay travels as SQS
 * `DelaySeconds`, which cannot exceed 15 minutes; later delays are set by the retry worker.
 *
 * @example
 * ```ts
 * const retry = toScheduledRetry(outcome, new Date());
 * ```
 */
function toScheduledRetry(outcome: RetryOutcome, now: Date): ScheduledRetry {
  return buildScheduledRetry({
    event: outcome.record.event,
    source: outcome.record.coordinates,
    attempts: outcome.attempts,
    redriveCount: 0,
    failure:
      outcome.error === undefined
        ? undefined
        : describeFailure(outcome.error, { attempts: outcome.attempts, redriveCount: 0, now }),
    delaySeconds: outcome.delaySeconds,
  });
}

/** The dead letter for a record the consumer gave up on. */
function toDeadLetter(outcome: DeadLetterOutcome, now: Date): DeadLetter {
  return buildDeadLetter({
    event: outcome.event,
    raw: outcome.raw,
    source: outcome.coordinates,
    failure: describeFailure(outcome.error, { attempts: outcome.attempts, redriveCount: 0, now }),
  });
}

function buildDeadLetter(parts: {
  event: ValidEvent | QueuedEvent | null;
  raw: DeadLetter['raw'];
  source: KafkaCoordinates;
  failure: Failure;
}): DeadLetter {
  return {
    kind: MessageKind.DEAD_LETTER,
    event: parts.event === null ? null : asQueuedEvent(parts.event),
    raw: parts.event === null ? parts.raw : null,
    source: { ...parts.source, headers: { ...parts.source.headers } },
    failure: parts.failure,
    oversized: false,
  };
}

function asQueuedEvent(event: ValidEvent | QueuedEvent): QueuedEvent {
  return event as QueuedEvent;
}

/**
 * A retry message with its delay (capped at SQS's 15 minutes). The worker uses it to send a
 * short-circuited message again: same event and coordinates, the attempts actually made, the last
 * real failure, and `shortCircuits` counted.
 */
function buildScheduledRetry(parts: {
  event: ValidEvent;
  source: KafkaCoordinates;
  attempts: number;
  redriveCount: number;
  failure: Failure | undefined;
  shortCircuits?: number;
  delaySeconds: number;
}): ScheduledRetry {
  return {
    message: {
      kind: MessageKind.RETRY,
      event: asQueuedEvent(parts.event),
      source: { ...parts.source },
      attempts: parts.attempts,
      redriveCount: parts.redriveCount,
      ...(parts.failure === undefined ? {} : { failure: parts.failure }),
      ...(parts.shortCircuits === undefined ? {} : { shortCircuits: parts.shortCircuits }),
    },
    delaySeconds: Math.min(parts.delaySeconds, SQS_MAX_DELAY_SECONDS),
  };
}

export { buildDeadLetter, buildScheduledRetry, toDeadLetter, toScheduledRetry };
