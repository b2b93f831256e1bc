import {
  ChangeMessageVisibilityBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { SQS_MAX_BATCH_ENTRIES } from '#shared/config/limits.ts';
import { MessageKind, Stage } from '#shared/pipeline/constants.ts';
import {
  type DeadLetter,
  DeadLetterSchema,
  type RetryMessage,
  RetryMessageSchema,
} from '#shared/pipeline/messages.ts';

/** While the CLI looks at dead letters they are hidden; long enough to read them all, then released. */
const PEEK_VISIBILITY_SECONDS = 60;

interface PeekedLetter {
  readonly message: Message;
  /**
   * Undefined when the body is not a dead letter of ours (kept, shown raw). A retry message the
   * retry queue's redrive policy moved here is shown as a dead letter with errorName
   * `RetryNotSettled`.
   */
  readonly letter?: DeadLetter;
}

/**
 * Reads up to `max` messages of the DLQ without consuming them: each is received (hidden for a
 * minute) and then made visible again by {@link releaseLetters}.
 *
 * @example
 * ```ts
 * const letters = await peekDeadLetters(sqs, dlqUrl, 1_000);
 * try { show(letters); } finally { await releaseLetters(sqs, dlqUrl, letters); }
 * ```
 */
async function peekDeadLetters(sqs: SQSClient, queueUrl: string, max: number): Promise<PeekedLetter[]> {
  const peeked: PeekedLetter[] = [];
  while (peeked.length < max) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: Math.min(SQS_MAX_BATCH_ENTRIES, max - peeked.length),
        VisibilityTimeout: PEEK_VISIBILITY_SECONDS,
        WaitTimeSeconds: 1,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
      }),
    );
    if (Messages.length === 0) break;
    for (const message of Messages) peeked.push({ message, letter: parseLetter(message) });
  }
  return peeked;
}

function parseLetter(message: Message): DeadLetter | undefined {
  let body: unknown;
  try {
    body = JSON.parse(message.Body ?? '');
  } catch {
    return undefined;
  }
  const letter = DeadLetterSchema.safeParse(body);
  if (letter.success) return letter.data;
  const retry = RetryMessageSchema.safeParse(body);
  return retry.success ? unsettledRetry(retry.data, message) : undefined;
}

/**
 * The worker dead-letters a message itself at its last attempt; a retry message arrives here whole
 * only through the retry queue's redrive policy, after the worker received it maxReceiveCount
 * times without settling it (it crashed, timed out or had no time left). Shown as what it is.
 */
function unsettledRetry(retry: RetryMessage, message: Message): DeadLetter {
  const receives = message.Attributes?.ApproximateReceiveCount ?? '?';
  const at = retry.failure?.lastFailureAt ?? new Date(0).toISOString();
  return {
    kind: MessageKind.DEAD_LETTER,
    event: retry.event,
    raw: null,
    source: retry.source,
    failure: {
      stage: Stage.PROCESS,
      errorName: 'RetryNotSettled',
      message: `moved here by the retry queue's redrive policy: the retry worker never settled it (last failure: ${retry.failure?.message ?? 'none'}; receives here: ${receives})`,
      attempts: retry.attempts,
      firstFailureAt: retry.failure?.firstFailureAt ?? at,
      lastFailureAt: at,
      redriveCount: retry.redriveCount,
    },
    oversized: false,
  };
}

/** Makes peeked messages visible again at once. */
async function releaseLetters(
  sqs: SQSClient,
  queueUrl: string,
  letters: readonly PeekedLetter[],
): Promise<void> {
  for (let start = 0; start < letters.length; start += SQS_MAX_BATCH_ENTRIES) {
    await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: queueUrl,
        Entries: letters.slice(start, start + SQS_MAX_BATCH_ENTRIES).map(({ message }, index) => ({
          Id: String(index),
          ReceiptHandle: message.ReceiptHandle,
          VisibilityTimeout: 0,
        })),
      }),
    );
  }
}

interface DeadLetterGroup {
  readonly stage: string;
  readonly errorName: string;
  count: number;
  readonly eventTypes: Map<string, number>;
  readonly sampleMessage: string;
}

/** Dead letters grouped by stage and error, largest group first. */
function groupDeadLetters(letters: readonly PeekedLetter[]): DeadLetterGroup[] {
  const groups = new Map<string, DeadLetterGroup>();
  for (const { letter } of letters) {
    const stage = letter?.failure.stage ?? 'unknown';
    const errorName = letter?.failure.errorName ?? 'NotADeadLetter';
    const key = `${stage}\u0000${errorName}`;
    const group = groups.get(key) ?? {
      stage,
      errorName,
      count: 0,
      eventTypes: new Map(),
      sampleMessage: letter?.failure.message ?? '',
    };
    group.count++;
    const type = letter?.event?.type ?? 'unknown';
    group.eventTypes.set(type, (group.eventTypes.get(type) ?? 0) + 1);
    groups.set(key, group);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count);
}

/** Whether a dead letter matches `--filter`: its event type, stage or error name. */
function matchesFilter(letter: DeadLetter | undefined, filter: string | undefined): boolean {
  if (!filter) return true;
  if (!letter) return false;
  return [letter.event?.type, letter.failure.stage, letter.failure.errorName].includes(filter);
}

export type { DeadLetterGroup, PeekedLetter };
export { groupDeadLetters, matchesFilter, peekDeadLetters, releaseLetters };
