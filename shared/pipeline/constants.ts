/** The stages a record passes through; a failure names the stage it happened in. */
const Stage = {
  DECODE: 'decode',
  VALIDATE: 'validate',
  PROCESS: 'process',
  /**
   * Not a failure of the record: the invocation ran out of time before it started, and its retry
   * message was too large for the retry queue (the one way a deferred record is dead-lettered).
   */
  DEFER: 'defer',
  /** The record exceeded a redrive cap and was set aside for a human. */
  REDRIVE: 'redrive',
} as const;
type Stage = (typeof Stage)[keyof typeof Stage];

/** Message kinds on the queues, versioned so that old messages stay readable after an upgrade. */
const MessageKind = {
  RETRY: 'eventpipe.retry/v1',
  DEAD_LETTER: 'eventpipe.dead-letter/v1',
} as const;

/** Where dead letters go. */
const DlqTarget = { SQS: 'sqs', KAFKA: 'kafka', BOTH: 'both' } as const;
type DlqTarget = (typeof DlqTarget)[keyof typeof DlqTarget];

export { DlqTarget, MessageKind, Stage };
