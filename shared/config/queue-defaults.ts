/**
 * Queue settings the stack and the local runtime share, so that local queues behave like deployed
 * ones.
 */

/** SQS's longest retention (14 days): the time an operator has to look at a dead letter. */
const DLQ_RETENTION_SECONDS = 1_209_600;
/**
 * The retry queue's redrive policy is a safety net for worker crashes; the worker itself
 * dead-letters at the last attempt. maxReceiveCount is this much above maxAttempts so that the net
 * never fires first.
 */
const MAX_RECEIVE_COUNT_MARGIN = 3;

/** The retry queue's maxReceiveCount for a retry budget. */
function maxReceiveCount(maxAttempts: number): number {
  return maxAttempts + MAX_RECEIVE_COUNT_MARGIN;
}

export { DLQ_RETENTION_SECONDS, MAX_RECEIVE_COUNT_MARGIN, maxReceiveCount };
