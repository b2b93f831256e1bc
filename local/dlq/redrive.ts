import { setTimeout as sleep } from 'node:timers/promises';
import {
  CancelMessageMoveTaskCommand,
  DeleteMessageBatchCommand,
  ListMessageMoveTasksCommand,
  type SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { Producer } from '@platformatic/kafka';
import { sendInBatches } from '#shared/adapters/sqs-queues.ts';
import { SQS_MAX_BATCH_ENTRIES } from '#shared/config/limits.ts';
import { lostValueReason } from '#shared/pipeline/kafka-event.ts';
import { matchesFilter, type PeekedLetter, peekDeadLetters, releaseLetters } from './dead-letter-reader.ts';

/** SQS caps message move tasks at 500 messages per second. */
const MAX_MOVE_RATE = 500;
const MOVE_TASK_POLL_MS = 500;

interface RedriveOptions {
  readonly sqs: SQSClient;
  readonly dlqUrl: string;
  readonly dlqArn: string;
  readonly retryQueueUrl: string;
  readonly retryQueueArn: string;
  /** Messages per second. */
  readonly rate: number;
  readonly max?: number;
  /** Only dead letters whose event type, stage or error name equals this. */
  readonly filter?: string;
  readonly dryRun?: boolean;
  /** Republish to Kafka instead of the retry queue. */
  readonly toKafka?: { readonly brokers: readonly string[] };
  readonly onProgress?: (line: string) => void;
}

interface RedriveResult {
  readonly selected: number;
  readonly moved: number;
  readonly skippedParked: number;
  /** Left in the DLQ by `--to-kafka`: their value was lost to a malformed record, nothing to publish. */
  readonly skippedLostValue?: number;
  readonly method: 'message-move-task' | 'selective' | 'kafka' | 'dry-run';
}

/**
 * Moves dead letters back for another try. Without a filter or cap it is an SQS message move task
 * (DLQ → retry queue, the same operation as the console's "Start DLQ redrive"), followed until
 * done. With `--filter`, `--max`, `--dry-run` or `--to-kafka` it reads the DLQ and moves only what
 * matches: to the retry queue (where the worker gives each a fresh attempt budget) or republished
 * to its source topic with its original key and event id. Parked letters (past the redrive cap)
 * are left where they are. A letter leaves the DLQ only after its new copy was acknowledged.
 *
 * @example
 * ```ts
 * await redrive({ sqs, ...queues, rate: 50, filter: 'payment.captured' });
 * ```
 */
async function redrive(options: RedriveOptions): Promise<RedriveResult> {
  const rate = Math.min(MAX_MOVE_RATE, Math.max(1, options.rate));
  if (!options.filter && options.max === undefined && !options.dryRun && !options.toKafka) {
    return moveTask(options, rate);
  }
  const peeked = await peekDeadLetters(options.sqs, options.dlqUrl, options.max ?? Number.MAX_SAFE_INTEGER);
  const matching = peeked.filter(({ letter }) => matchesFilter(letter, options.filter));
  const parked = matching.filter(({ letter }) => letter?.failure.parked);
  // Republishing a value that was never kept would put an empty message on the topic, which
  // reads as a different record; the retry queue, by contrast, reports the loss (see the worker).
  const lostValue = options.toKafka
    ? matching.filter(({ letter }) => letter && !letter.failure.parked && lostValueReason(letter.raw))
    : [];
  const selected = matching.filter((p) => p.letter && !p.letter.failure.parked && !lostValue.includes(p));
  const untouched = peeked.filter((p) => !selected.includes(p));
  try {
    for (const { letter } of lostValue) {
      options.onProgress?.(
        `kept in the DLQ, not republished: ${letter?.source.topic}-${letter?.source.partition}@${letter?.source.offset}: ${lostValueReason(letter?.raw ?? null)}`,
      );
    }
    if (options.dryRun) {
      for (const { letter } of selected) {
        const what = letter?.event
          ? `${letter.event.id} ${letter.event.type}`
          : (lostValueReason(letter?.raw ?? null) ?? '(undecoded raw record)');
        options.onProgress?.(`would redrive ${what} [${letter?.failure.stage}/${letter?.failure.errorName}]`);
      }
      await releaseLetters(options.sqs, options.dlqUrl, selected);
      return {
        selected: selected.length,
        moved: 0,
        skippedParked: parked.length,
        skippedLostValue: lostValue.length,
        method: 'dry-run',
      };
    }
    let moved = 0;
    for (let start = 0; start < selected.length; start += SQS_MAX_BATCH_ENTRIES) {
      const batch = selected.slice(start, start + SQS_MAX_BATCH_ENTRIES);
      const started = Date.now();
      if (options.toKafka) await republish(options.toKafka.brokers, batch);
      else
        await sendInBatches(
          options.sqs,
          options.retryQueueUrl,
          batch.map(({ message }, i) => ({ id: String(i), body: message.Body ?? '' })),
        );
      await deleteFromDlq(options.sqs, options.dlqUrl, batch);
      moved += batch.length;
      options.onProgress?.(`moved ${moved}/${selected.length}`);
      const minimumMs = (batch.length / rate) * 1_000;
      if (Date.now() - started < minimumMs) await sleep(minimumMs - (Date.now() - started));
    }
    return {
      selected: selected.length,
      moved,
      skippedParked: parked.length,
      skippedLostValue: lostValue.length,
      method: options.toKafka ? 'kafka' : 'selective',
    };
  } finally {
    await releaseLetters(options.sqs, options.dlqUrl, untouched);
  }
}

/**
 * A message move task, followed until done. SQS moves what the DLQ held when the task started;
 * some servers (ElasticMQ) keep moving as long as messages arrive, so letters that fail again and
 * come back would circle. The task is therefore cancelled once it moved its initial count.
 */
async function moveTask(options: RedriveOptions, rate: number): Promise<RedriveResult> {
  const { sqs, dlqArn, retryQueueArn } = options;
  const { TaskHandle } = await sqs.send(
    new StartMessageMoveTaskCommand({
      SourceArn: dlqArn,
      DestinationArn: retryQueueArn,
      MaxNumberOfMessagesPerSecond: rate,
    }),
  );
  for (;;) {
    const { Results = [] } = await sqs.send(
      new ListMessageMoveTasksCommand({ SourceArn: dlqArn, MaxResults: 1 }),
    );
    const task = Results[0];
    const moved = Number(task?.ApproximateNumberOfMessagesMoved ?? 0);
    const toMove = Number(task?.ApproximateNumberOfMessagesToMove ?? Number.POSITIVE_INFINITY);
    options.onProgress?.(
      `${task?.Status ?? 'DONE'}: moved ${moved}/${Number.isFinite(toMove) ? toMove : '?'}`,
    );
    if (task === undefined || task.Status === 'COMPLETED') {
      return { selected: moved, moved, skippedParked: 0, method: 'message-move-task' };
    }
    if (task.Status === 'RUNNING' && moved >= toMove && TaskHandle) {
      // It may have completed in the meantime; either way it has moved what it was started for.
      await sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle })).catch(() => undefined);
      return { selected: moved, moved, skippedParked: 0, method: 'message-move-task' };
    }
    if (task.Status === 'FAILED' || task.Status === 'CANCELLED') {
      throw new Error(
        `message move task ${task.Status.toLowerCase()}: ${task.FailureReason ?? 'no reason given'}`,
      );
    }
    await sleep(MOVE_TASK_POLL_MS);
  }
}

/** The original event (or raw record) back onto its source topic, with its original key. */
async function republish(brokers: readonly string[], batch: readonly PeekedLetter[]): Promise<void> {
  const producer = new Producer({ clientId: 'eventpipe-redrive', bootstrapBrokers: [...brokers], acks: -1 });
  try {
    await producer.send({
      messages: batch.flatMap(({ letter }) => {
        if (!letter) return [];
        const value = letter.event
          ? Buffer.from(JSON.stringify(letter.event))
          : Buffer.from(letter.raw?.valueBase64 ?? '', 'base64');
        return [
          {
            topic: letter.source.topic,
            key: letter.source.keyBase64 ? Buffer.from(letter.source.keyBase64, 'base64') : undefined,
            value,
          },
        ];
      }),
    });
  } finally {
    await producer.close();
  }
}

async function deleteFromDlq(
  sqs: SQSClient,
  queueUrl: string,
  batch: readonly PeekedLetter[],
): Promise<void> {
  const result = await sqs.send(
    new DeleteMessageBatchCommand({
      QueueUrl: queueUrl,
      Entries: batch.map(({ message }, i) => ({ Id: String(i), ReceiptHandle: message.ReceiptHandle })),
    }),
  );
  if (result.Failed?.length)
    throw new Error(
      `could not delete ${result.Failed.length} redriven messages from the DLQ (they may be redriven twice)`,
    );
}

export type { RedriveOptions, RedriveResult };
export { redrive };
