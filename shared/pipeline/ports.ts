import type { ValidEvent } from '../events/envelope.ts';
import type { EventRegistry } from '../events/registry.ts';
import type { DeadLetter, KafkaCoordinates } from './messages.ts';
import type { ScheduledRetry } from './queue-messages.ts';

/**
 * The pipeline's ports: what the consumer and the retry worker call out to (processors, the retry
 * queue, the dead-letter target, the retry queue's visibility), each a small interface. The
 * adapters in `shared/adapters/` implement them on SQS, Kafka and HTTP; tests use in-process ones.
 */

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

/**
 * The retry queue as the pipeline sees it. `schedule` resolves only when every message is
 * acknowledged and throws otherwise: the caller must then not commit (the ESM redelivers).
 */
interface RetryQueue {
  schedule(retries: readonly ScheduledRetry[]): Promise<void>;
}

/** Where the letters of one hand-off came from: the Kafka event's brokers, when it names them. */
interface LetterOrigin {
  readonly brokers?: readonly string[];
}

/**
 * A dead-letter target (SQS queue, Kafka topic, or both); same contract as {@link RetryQueue}. The
 * consumer passes its event's brokers with each hand-off, for a Kafka target configured without any.
 */
interface DeadLetterQueue {
  send(letters: readonly DeadLetter[], origin?: LetterOrigin): Promise<void>;
}

/** Sets when a message becomes visible again: the retry queue's backoff mechanism. */
interface VisibilityControl {
  changeVisibility(receiptHandle: string, seconds: number): Promise<void>;
}

/** Everything a batch calls out to, built once per container (`buildPipelineDependencies`). */
interface PipelinePorts {
  readonly registry: EventRegistry;
  /** The processor for a validated event's type (resolved at cold start). */
  readonly processorFor: (event: ValidEvent) => Processor;
  readonly retryQueue: RetryQueue;
  readonly deadLetters: DeadLetterQueue;
  readonly visibility: VisibilityControl;
}

export type {
  DeadLetterQueue,
  LetterOrigin,
  PipelinePorts,
  ProcessContext,
  Processor,
  RetryQueue,
  VisibilityControl,
};
