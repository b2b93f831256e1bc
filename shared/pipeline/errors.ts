import type { z } from 'zod';
import { Stage } from './constants.ts';

/**
 * Base of every error the pipeline classifies. `stage` says where it happened; `permanent` says
 * whether trying again could ever help (permanent → dead-letter at once, else → retry queue).
 *
 * @example
 * ```ts
 * if (error instanceof PipelineError && error.permanent) deadLetter(record, error);
 * ```
 */
class PipelineError extends Error {
  readonly stage: Stage;
  readonly permanent: boolean;
  /**
   * What helps diagnose the failure but may echo the payload (e.g. a downstream's response body):
   * kept in the dead letter, which is encrypted and access-controlled, never put in the message,
   * which is logged.
   */
  readonly details?: unknown;
  constructor(
    message: string,
    options: { stage: Stage; permanent: boolean; cause?: unknown; details?: unknown },
  ) {
    super(message, { cause: options.cause });
    this.name = 'PipelineError';
    this.stage = options.stage;
    this.permanent = options.permanent;
    this.details = options.details;
  }
}

/** The record's bytes could not be turned into JSON (bad base64, not UTF-8, not JSON, tombstone). */
class DecodeError extends PipelineError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, { stage: Stage.DECODE, permanent: true, cause: options?.cause });
    this.name = 'DecodeError';
  }
}

/**
 * The record's value is larger than `maxRecordBytes`: dead-lettered without being decoded, so one
 * huge record costs neither the time nor the memory of parsing it.
 */
class RecordTooLargeError extends DecodeError {
  constructor(bytes: number, limit: number) {
    super(
      `value is ${bytes.toLocaleString('en')} bytes, over the ${limit.toLocaleString('en')}-byte limit (maxRecordBytes)`,
    );
    this.name = 'RecordTooLargeError';
  }
}

/** The JSON is not a valid envelope, its type is unknown, or its data breaks the type's schema. */
class ValidationError extends PipelineError {
  /** zod's issues, truncated to {@link MAX_KEPT_ISSUES} so that a dead letter stays small. */
  readonly issues: readonly z.core.$ZodIssue[];
  constructor(message: string, issues: readonly z.core.$ZodIssue[] = []) {
    super(message, { stage: Stage.VALIDATE, permanent: true });
    this.name = 'ValidationError';
    this.issues = issues.slice(0, MAX_KEPT_ISSUES);
  }
}

/** Thrown by a processor for what can never succeed (e.g. HTTP 400); goes to the DLQ at once. */
class PermanentError extends PipelineError {
  constructor(message: string, options?: { cause?: unknown; details?: unknown }) {
    super(message, { stage: Stage.PROCESS, permanent: true, ...options });
    this.name = 'PermanentError';
  }
}

/**
 * Thrown by a processor for what may succeed later (HTTP 503, a timeout). `retryAfterSeconds` is
 * the least delay before the next attempt (e.g. from a `Retry-After` header).
 */
class TransientError extends PipelineError {
  readonly retryAfterSeconds?: number;
  /**
   * False when the downstream was never called (its circuit is open): such a failure does not
   * spend the record's retry budget, so an outage the breaker absorbs does not exhaust it.
   */
  readonly attempted: boolean;
  constructor(
    message: string,
    options?: { cause?: unknown; retryAfterSeconds?: number; details?: unknown; attempted?: boolean },
  ) {
    super(message, {
      stage: Stage.PROCESS,
      permanent: false,
      cause: options?.cause,
      details: options?.details,
    });
    this.name = 'TransientError';
    this.retryAfterSeconds = options?.retryAfterSeconds;
    this.attempted = options?.attempted ?? true;
  }
}

/** The processor did not finish before the invocation's deadline; transient. */
class DeadlineExceededError extends TransientError {
  constructor(message: string) {
    super(message);
    this.name = 'DeadlineExceededError';
  }
}

/**
 * A retry message or dead letter could not be handed off (SQS or Kafka did not acknowledge it).
 * The handler rethrows it so that the event source redelivers the batch: nothing is committed
 * before its records are settled somewhere durable.
 */
class HandOffError extends Error {
  readonly failedCount: number;
  constructor(message: string, options: { failedCount: number; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.name = 'HandOffError';
    this.failedCount = options.failedCount;
  }
}

const MAX_KEPT_ISSUES = 20;

/**
 * Whether an error thrown while handling a record is permanent. Only the pipeline's own permanent
 * errors are: anything unknown (a network error, a bug in a processor) is treated as transient,
 * because retrying a transient error wrongly costs a few attempts while dead-lettering it wrongly
 * needs a human.
 */
function isPermanent(error: unknown): boolean {
  return error instanceof PipelineError && error.permanent;
}

/** Whether a failure was a real attempt at the downstream (everything but a short-circuit). */
function wasAttempted(error: unknown): boolean {
  return !(error instanceof TransientError) || error.attempted;
}

/** The stage an error belongs to: its own for pipeline errors, `process` for anything else. */
function stageOf(error: unknown): Stage {
  return error instanceof PipelineError ? error.stage : Stage.PROCESS;
}

export {
  DeadlineExceededError,
  DecodeError,
  HandOffError,
  isPermanent,
  MAX_KEPT_ISSUES,
  PermanentError,
  PipelineError,
  RecordTooLargeError,
  stageOf,
  TransientError,
  ValidationError,
  wasAttempted,
};
