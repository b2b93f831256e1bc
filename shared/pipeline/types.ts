import type { ValidEvent } from '../events/envelope.ts';
import type { Stage } from './constants.ts';
import type { DeadLetter, RetryMessage } from './messages.ts';

/** Where a record came from in Kafka: enough to find it again by offset. */
interface KafkaCoordinates {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  /** Epoch milliseconds. */
  readonly timestamp: number;
  readonly timestampType: string;
  /** The key as UTF-8 text, or null when absent or not valid UTF-8 (then see `keyBase64`). */
  readonly key: string | null;
  readonly keyBase64: string | null;
  /** Header values as UTF-8 text (binary values base64 with a `base64:` prefix). */
  readonly headers: Readonly<Record<string, string>>;
}

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

/** The failure recorded with a retry or a dead letter. */
interface FailureInfo {
  readonly stage: Stage;
  readonly errorName: string;
  readonly message: string;
  readonly stack?: string;
  /** zod issues for validation failures, truncated. */
  readonly details?: unknown;
}

/** A retry message with the delay before its next attempt. */
interface ScheduledRetry {
  readonly message: RetryMessage;
  readonly delaySeconds: number;
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

export type {
  DeadLetterQueue,
  FailureInfo,
  KafkaCoordinates,
  ProcessContext,
  Processor,
  RetryQueue,
  ScheduledRetry,
};
