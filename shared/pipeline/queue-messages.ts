import { SQS_MAX_DELAY_SECONDS } from '../config/limits.ts';
import type { ValidEvent } from '../events/envelope.ts';
import { MessageKind } from './constants.ts';
import { PipelineError, stageOf, ValidationError } from './errors.ts';
import type { DeadLetter, Failure, KafkaCoordinates, QueuedEvent, RetryMessage } from './messages.ts';

/**
 * Building the messages of `messages.ts` (retry messages, dead letters, their failure): apart from
 * the schemas, so that the consumer, which only writes them, does not build the schemas at cold
 * start.
 */

/** A retry message with the delay before its next attempt. */
interface ScheduledRetry {
  readonly message: RetryMessage;
  readonly delaySeconds: number;
  /** `message` as JSON when the caller already serialised it (to check its size): sent as is. */
  readonly body?: string;
}

const MAX_ERROR_MESSAGE_LENGTH = 2_000;
const MAX_STACK_LENGTH = 2_000;

/**
 * Describes an error for a retry message or dead letter, merged with what earlier attempts
 * recorded: `firstFailureAt` is kept, `lastFailureAt` is now, messages and stacks are truncated.
 *
 * @example
 * ```ts
 * const failure = describeFailure(error, { attempts: 2, redriveCount: 0, now: new Date() }, previous);
 * ```
 */
function describeFailure(
  error: unknown,
  counts: { attempts: number; redriveCount: number; now: Date },
  previous?: Pick<Failure, 'firstFailureAt'>,
): Failure {
  const asError = error instanceof Error ? error : new Error(String(error));
  const at = counts.now.toISOString();
  return {
    stage: stageOf(error),
    errorName: asError.name,
    message: asError.message.slice(0, MAX_ERROR_MESSAGE_LENGTH),
    // Stacks of our own classified errors add nothing; keep them for the unexpected ones.
    ...(error instanceof PipelineError ? {} : { stack: asError.stack?.slice(0, MAX_STACK_LENGTH) }),
    ...detailsOf(error),
    attempts: counts.attempts,
    firstFailureAt: previous?.firstFailureAt ?? at,
    lastFailureAt: at,
    redriveCount: counts.redriveCount,
  };
}

function detailsOf(error: unknown): Pick<Failure, 'details'> {
  if (error instanceof ValidationError) return error.issues.length > 0 ? { details: error.issues } : {};
  if (error instanceof PipelineError && error.details !== undefined) return { details: error.details };
  return {};
}

/**
 * A dead letter: the event, or the raw record when there is no valid event.
 *
 * @example
 * ```ts
 * const letter = buildDeadLetter({ event, raw: null, source: coordinates, failure });
 * ```
 */
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
 * A retry message with its delay. The first delay travels as SQS `DelaySeconds`, which cannot
 * exceed 15 minutes (later delays are set by the retry worker's visibility backoff). The worker
 * uses it too, to send a short-circuited message again: same event and coordinates, the attempts
 * actually made, the last real failure, and `shortCircuits` counted.
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

export type { ScheduledRetry };
export { buildDeadLetter, buildScheduledRetry, describeFailure };
