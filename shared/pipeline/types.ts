import type { ValidEvent } from '../events/envelope.ts';
import type { Coordinates, CoordinatesSchema, DeadLetter, RetryMessage } from './messages.ts';

/** Where a record came from in Kafka: enough to find it again by offset (see {@link CoordinatesSchema}). */
type KafkaCoordinates = Readonly<Coordinates>;

/** What a processor gets besides the event: the deadline and where the event came from. */
interface ProcessContext {
  /** Aborts when the invocation's deadline (less a safety margin) is reached. */
  readonly signal: AbortSignal;
  /** The event id: send it downstream as the idempotency key. */
  readonly idempotencyKey: string;
  readonly attempt: number;
  readonly source: KafkaCoordinates;
}

/**
 * A processor does the work for one event type. Throw `PermanentError` for what can never
 * succeed; anything else thrown is transient and retried with backoff.
 *
 * @example
 * ```ts
 * const processOrder: Processor<OrderPlaced> = async (event, { signal }) => {
 *   await reserveStock(event.data.items, { signal });
 * };
 * ```
 */
type Processor<Data = unknown> = (event: ValidEvent<Data>, context: ProcessContext) => Promise<void>;

/** A retry message with the delay before its next attempt. */
interface ScheduledRetry {
  readonly message: RetryMessage;
  readonly delaySeconds: number;
  /** `message` as JSON when the caller already serialised it (to check its size): sent as is. */
  readonly body?: string;
}

/**
 * The retry queue as the pipeline sees it. `schedule` resolves only when every message is
 * acknowledged and throws otherwise: the caller must then not commit (the ESM redelivers).
 */
interface RetryQueue {
  schedule(retries: readonly ScheduledRetry[]): Promise<void>;
}

/** A dead-letter target (SQS queue, Kafka topic, or both); same contract as {@link RetryQueue}. */
interface DeadLetterQueue {
  send(letters: readonly DeadLetter[]): Promise<void>;
}

export type { DeadLetterQueue, KafkaCoordinates, ProcessContext, Processor, RetryQueue, ScheduledRetry };
