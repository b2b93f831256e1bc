import { PipelineError, stageOf, ValidationError } from './errors.ts';
import type { Failure } from './messages.ts';

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

export { describeFailure };
