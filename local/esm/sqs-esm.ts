import { setTimeout as sleep } from 'node:timers/promises';
import {
  ChangeMessageVisibilityBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse } from 'aws-lambda';
import { SQS_RECEIVE_ERROR_PAUSE_MS, SQS_WAIT_TIME_SECONDS } from './constants.ts';
import { invokeLocally, type LocalHandler } from './invoke.ts';
import { deleteSucceeded } from './sqs-batch-response.ts';
import { toSqsEvent } from './sqs-event.ts';

interface SqsEsmOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly region: string;
  /** 1–10 messages per invocation. */
  readonly batchSize: number;
  /** The SQS mapping's MaximumConcurrency: pollers, each with at most one invocation in flight. */
  readonly maxConcurrency: number;
  readonly functionTimeoutMs: number;
  readonly handler: LocalHandler;
  readonly logger?: Pick<Console, 'warn' | 'error'>;
}

interface SqsEsmStats {
  invocations: number;
  failedInvocations: number;
  messagesReceived: number;
  messagesDeleted: number;
  inFlight: number;
  maxInFlight: number;
}

/**
 * Emulates Lambda's SQS event source mapping with `ReportBatchItemFailures`: long polling, batches
 * of up to 10 in the real `SQSEvent` shape (system attributes included), at most `maxConcurrency`
 * invocations in flight; the messages the handler did not report are deleted, the reported ones —
 * or all of them if the invocation failed — reappear when their visibility timeout (the queue's,
 * or what the handler set) runs out.
 *
 * @example
 * ```ts
 * const esm = new SqsEsm({ sqs, queueUrl, queueArn, region, batchSize: 10, maxConcurrency: 5, functionTimeoutMs: 60_000, handler });
 * esm.start();
 * await esm.stop(30_000);
 * ```
 */
class SqsEsm {
  readonly stats: SqsEsmStats = {
    invocations: 0,
    failedInvocations: 0,
    messagesReceived: 0,
    messagesDeleted: 0,
    inFlight: 0,
    maxInFlight: 0,
  };
  readonly #options: SqsEsmOptions;
  readonly #stopController = new AbortController();
  #pollers: Promise<void>[] = [];

  constructor(options: SqsEsmOptions) {
    this.#options = options;
  }

  start(): void {
    this.#pollers = Array.from({ length: this.#options.maxConcurrency }, () => this.#poll());
  }

  /**
   * Stops polling and waits (at most `timeoutMs`) for in-flight invocations to settle. An open long
   * poll is let finish (at most {@link SQS_WAIT_TIME_SECONDS}); what it returns is handed back.
   */
  async stop(timeoutMs: number): Promise<void> {
    this.#stopController.abort();
    await Promise.race([Promise.allSettled(this.#pollers), sleep(timeoutMs)]);
  }

  async #poll(): Promise<void> {
    const { sqs, queueUrl, batchSize } = this.#options;
    const signal = this.#stopController.signal;
    while (!signal.aborted) {
      let messages: Message[];
      try {
        const response = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: batchSize,
            WaitTimeSeconds: SQS_WAIT_TIME_SECONDS,
            MessageSystemAttributeNames: ['All'],
            MessageAttributeNames: ['All'],
          }),
        );
        messages = response.Messages ?? [];
      } catch (error) {
        if (signal.aborted) return;
        this.#options.logger?.warn(`sqs-esm: receive failed: ${(error as Error).message}`);
        await sleep(SQS_RECEIVE_ERROR_PAUSE_MS);
        continue;
      }
      if (messages.length === 0) continue;
      if (signal.aborted) {
        // Received while stopping: hand them back now rather than leave them hidden for the
        // queue's visibility timeout. (Aborting the long poll instead could lose that race.)
        await releaseMessages(sqs, queueUrl, messages).catch(() => undefined);
        return;
      }
      this.stats.messagesReceived += messages.length;
      await this.#invoke(messages);
    }
  }

  async #invoke(messages: Message[]): Promise<void> {
    const { sqs, queueUrl, queueArn, region } = this.#options;
    this.stats.invocations++;
    this.stats.inFlight++;
    this.stats.maxInFlight = Math.max(this.stats.maxInFlight, this.stats.inFlight);
    try {
      const response = (await invokeLocally(this.#options.handler, toSqsEvent(messages, queueArn, region), {
        functionName: 'retry-worker',
        timeoutMs: this.#options.functionTimeoutMs,
      })) as Partial<SQSBatchResponse> | undefined;
      this.stats.messagesDeleted += await deleteSucceeded(sqs, queueUrl, messages, response);
    } catch (error) {
      // The whole batch stays: every message reappears after its visibility timeout.
      this.stats.failedInvocations++;
      this.#options.logger?.warn(
        `sqs-esm: invocation failed, ${messages.length} messages stay: ${(error as Error).message}`,
      );
    } finally {
      this.stats.inFlight--;
    }
  }
}

/** Makes received messages visible again at once. */
async function releaseMessages(
  sqs: SQSClient,
  queueUrl: string,
  messages: readonly Message[],
): Promise<void> {
  await sqs.send(
    new ChangeMessageVisibilityBatchCommand({
      QueueUrl: queueUrl,
      Entries: messages.map((message, index) => ({
        Id: String(index),
        ReceiptHandle: message.ReceiptHandle,
        VisibilityTimeout: 0,
      })),
    }),
  );
}

export type { SqsEsmOptions, SqsEsmStats };
export { SqsEsm };
