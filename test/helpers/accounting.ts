import { setTimeout as sleep } from 'node:timers/promises';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DeadLetter } from '#shared/pipeline/messages.ts';
import { peekDeadLetters, releaseLetters } from '../../local/dlq/dead-letter-reader.ts';
import { queueDepth } from '../../local/local-sqs-client.ts';
import { idInRawValue } from '../../local/produce/event-generator.ts';
import type { WebhookSink } from '../../local/sink/webhook-sink.ts';

/**
 * Waits until every one of `expected` events is either delivered to the sink or in the DLQ and the
 * retry queue is empty — the pipeline has drained. Fails after `timeoutMs`, saying how far it got.
 */
async function waitUntilDrained(parts: {
  sqs: SQSClient;
  retryQueueUrl: string;
  dlqUrl: string;
  sink: WebhookSink;
  expected: number;
  timeoutMs: number;
}): Promise<number> {
  const started = Date.now();
  let last = '';
  while (Date.now() - started < parts.timeoutMs) {
    const [retrying, dead] = await Promise.all([
      queueDepth(parts.sqs, parts.retryQueueUrl),
      queueDepth(parts.sqs, parts.dlqUrl),
    ]);
    last = `delivered ${parts.sink.deliveries.size}, dead-lettered ${dead}, retrying ${retrying} of ${parts.expected}`;
    if (retrying === 0 && parts.sink.deliveries.size + dead >= parts.expected) return Date.now() - started;
    await sleep(500);
  }
  throw new Error(`not drained after ${parts.timeoutMs} ms: ${last}`);
}

interface Accounting {
  readonly produced: number;
  readonly delivered: number;
  readonly deadLettered: number;
  readonly missing: string[];
  /** Dead letters at a stage other than the one their event calls for. */
  readonly wrongStage: string[];
  /** Extra deliveries to the sink (same id delivered more than once). */
  readonly duplicateDeliveries: number;
  /** Ids both delivered and dead-lettered (e.g. a retry that timed out but had succeeded). */
  readonly deliveredAndDead: number;
  readonly letters: DeadLetter[];
}

/**
 * Accounts for every produced event id: delivered to the sink at least once, or in the DLQ at the
 * right stage (decode/validate for invalid events, process for events the downstream rejected or
 * that exhausted their retries). Reads the DLQ without consuming it.
 */
async function accountForEvents(parts: {
  sqs: SQSClient;
  dlqUrl: string;
  sink: WebhookSink;
  ids: readonly string[];
  /** Events produced invalid on purpose, with the stage they must be dead-lettered at. */
  invalidIds?: ReadonlyMap<string, 'decode' | 'validate'>;
}): Promise<Accounting> {
  const peeked = await peekDeadLetters(parts.sqs, parts.dlqUrl, 1_000_000);
  await releaseLetters(parts.sqs, parts.dlqUrl, peeked);
  const letters = peeked.flatMap(({ letter }) => (letter ? [letter] : []));
  const deadById = new Map<string, DeadLetter>();
  for (const letter of letters) {
    const id = letter.event?.id ?? idInRawValue(letter.raw?.valueBase64);
    if (id) deadById.set(id, letter);
  }
  const missing: string[] = [];
  const wrongStage: string[] = [];
  let deliveredAndDead = 0;
  for (const id of parts.ids) {
    const delivered = parts.sink.deliveries.has(id);
    const dead = deadById.get(id);
    if (delivered && dead) deliveredAndDead++;
    if (!delivered && !dead) missing.push(id);
    if (dead) {
      const expected = parts.invalidIds?.get(id) ?? 'process';
      if (dead.failure.stage !== expected)
        wrongStage.push(`${id}: ${dead.failure.stage} (expected ${expected})`);
    }
  }
  const duplicateDeliveries = [...parts.sink.deliveries.values()].reduce(
    (sum, list) => sum + list.length - 1,
    0,
  );
  return {
    produced: parts.ids.length,
    delivered: parts.sink.deliveries.size,
    deadLettered: deadById.size,
    missing,
    wrongStage,
    duplicateDeliveries,
    deliveredAndDead,
    letters,
  };
}

/**
 * Per-key order on the main path: for events never retried (no 503 seen, delivered once), the
 * sink saw each key's events in production order. Returns the keys where it did not.
 */
function keysOutOfOrder(sink: WebhookSink, ids: readonly string[]): string[] {
  const byKey = new Map<string, { index: number; sequence: number }[]>();
  ids.forEach((id, index) => {
    const deliveries = sink.deliveries.get(id);
    if (deliveries?.length !== 1 || sink.transientFailedIds.has(id)) return;
    const [delivery] = deliveries ?? [];
    if (!delivery?.subject) return;
    const list = byKey.get(delivery.subject) ?? [];
    list.push({ index, sequence: delivery.sequence });
    byKey.set(delivery.subject, list);
  });
  const outOfOrder: string[] = [];
  for (const [key, list] of byKey) {
    const bySequence = [...list].sort((a, b) => a.sequence - b.sequence).map((entry) => entry.index);
    if (bySequence.some((index, i) => i > 0 && index < (bySequence[i - 1] ?? 0))) outOfOrder.push(key);
  }
  return outOfOrder;
}

/** The ids the load generator gives a run's events: `<run>-0` … `<run>-<count - 1>`. */
function runIds(run: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${run}-${i}`);
}

export type { Accounting };
export { accountForEvents, keysOutOfOrder, runIds, waitUntilDrained };
