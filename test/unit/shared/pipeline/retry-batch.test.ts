import { describe, expect, it } from 'vitest';
import { CircuitOpenError } from '#shared/pipeline/circuit-breaker.ts';
import { PermanentError, TransientError } from '#shared/pipeline/errors.ts';
import type { DeadLetter, RetryMessage } from '#shared/pipeline/messages.ts';
import type { Processor } from '#shared/pipeline/ports.ts';
import { retryBatch } from '#shared/pipeline/retry-batch.ts';
import { kafkaCoordinates, orderPlaced } from '../../../fixtures/factories.ts';
import { DEPLOYMENT_BACKOFF, pipelineSettings, recordingPorts } from '../../../fixtures/ports.ts';

const settings = pipelineSettings({ ...DEPLOYMENT_BACKOFF, maxAttempts: 4, deadlineMarginMs: 1_000 });
const NOW = Date.parse('2026-11-24T19:00:00.000Z');
const source = kafkaCoordinates({ partition: 3, offset: 77, timestamp: NOW - 60_000, key: 'customer-1' });

/** An HTTP 503 as the pipeline records it, after `attempts`, first and last seen at the given times. */
function http503(attempts: number, firstFailureAt: string, lastFailureAt = firstFailureAt, redriveCount = 0) {
  const failure = { stage: 'process', errorName: 'TransientError', message: 'HTTP 503' } as const;
  return { ...failure, attempts, firstFailureAt, lastFailureAt, redriveCount };
}

function retryMessage(id: string, attempts = 1): RetryMessage {
  return {
    kind: 'eventpipe.retry/v1',
    event: orderPlaced(id),
    source,
    attempts,
    redriveCount: 0,
    failure: http503(attempts, '2026-11-24T18:00:00.000Z'),
  };
}

function deadLetter(id: string, redriveCount: number): DeadLetter {
  return {
    kind: 'eventpipe.dead-letter/v1',
    event: orderPlaced(id),
    raw: null,
    source,
    failure: http503(4, '2026-11-24T17:00:00.000Z', '2026-11-24T17:30:00.000Z', redriveCount),
    oversized: false,
  };
}

function harness(processor: Processor, unavailable?: 'retry queue' | 'dead-letter queue') {
  const ports = recordingPorts(processor, unavailable);
  const run = (records: { id: string; body: unknown; receiveCount: number }[]) =>
    retryBatch(
      records.map((r) => ({
        messageId: r.id,
        receiptHandle: `rh-${r.id}`,
        body: typeof r.body === 'string' ? r.body : JSON.stringify(r.body),
        receiveCount: r.receiveCount,
      })),
      () => 60_000,
      { ...ports, settings, now: () => NOW, random: () => 0.5 },
    );
  return {
    run,
    visibility: ports.visibility.changes,
    deadLetters: ports.deadLetters,
    retryQueue: ports.retryQueue,
  };
}

const transient: Processor = async () => {
  throw new TransientError('HTTP 503');
};

describe('retryBatch', () => {
  it('acknowledges a message whose retry succeeds', async () => {
    const { run, visibility, deadLetters } = harness(async () => undefined);
    const { failedMessageIds, outcomes } = await run([
      { id: 'm1', body: retryMessage('e-1'), receiveCount: 1 },
    ]);
    expect(failedMessageIds).toEqual([]);
    expect(outcomes).toEqual([{ kind: 'processed', messageId: 'm1', attempt: 2, eventType: 'order.placed' }]);
    expect(visibility).toEqual([]);
    expect(deadLetters.letters).toEqual([]);
  });

  it.each([
    // attempts before the queue + receive count = this attempt; backoff ceiling base × 2^(attempt-1), jitter 0.5
    [1, 1, 2, 10],
    [1, 2, 3, 20],
  ])(
    'backs off after attempt (before %i, receive %i) = %i by %i s and reports the item',
    async (before, receives, attempt, delay) => {
      const { run, visibility } = harness(transient);
      const { failedMessageIds, outcomes } = await run([
        { id: 'm1', body: retryMessage('e-1', before), receiveCount: receives },
      ]);
      expect(failedMessageIds).toEqual(['m1']);
      expect(outcomes[0]).toMatchObject({ kind: 'retry', attempt, delaySeconds: delay });
      expect(visibility).toEqual([{ handle: 'rh-m1', seconds: delay }]);
    },
  );

  it('honours Retry-After as the least delay', async () => {
    const { run, visibility } = harness(async () => {
      throw new TransientError('HTTP 429', { retryAfterSeconds: 300 });
    });
    await run([{ id: 'm1', body: retryMessage('e-1'), receiveCount: 1 }]);
    expect(visibility).toEqual([{ handle: 'rh-m1', seconds: 300 }]);
  });

  it('writes the dead letter itself at the last attempt and acknowledges the message', async () => {
    const { run, visibility, deadLetters } = harness(transient);
    const { failedMessageIds, outcomes } = await run([
      { id: 'm1', body: retryMessage('e-1'), receiveCount: 3 },
    ]);
    expect(failedMessageIds).toEqual([]);
    expect(visibility).toEqual([]);
    expect(outcomes[0]).toMatchObject({ kind: 'dead-letter', exhausted: true });
    expect(deadLetters.letters).toEqual([
      {
        kind: 'eventpipe.dead-letter/v1',
        event: expect.objectContaining({ id: 'e-1' }),
        raw: null,
        source,
        failure: http503(4, '2026-11-24T18:00:00.000Z', '2026-11-24T19:00:00.000Z'),
        oversized: false,
      },
    ]);
  });

  it('dead-letters a permanent failure at once', async () => {
    const { run, deadLetters } = harness(async () => {
      throw new PermanentError('HTTP 404');
    });
    const { failedMessageIds } = await run([{ id: 'm1', body: retryMessage('e-1'), receiveCount: 1 }]);
    expect(failedMessageIds).toEqual([]);
    expect(deadLetters.letters[0]?.failure).toMatchObject({ errorName: 'PermanentError', attempts: 2 });
  });

  it('re-validates the event: a schema change can make a retry permanent', async () => {
    const { run, deadLetters } = harness(async () => undefined);
    const invalid = { ...retryMessage('e-1'), event: { ...orderPlaced('e-1'), data: { orderId: 'o' } } };
    await run([{ id: 'm1', body: invalid, receiveCount: 1 }]);
    expect(deadLetters.letters[0]?.failure).toMatchObject({
      stage: 'validate',
      errorName: 'ValidationError',
    });
  });

  it('gives a redriven dead letter a fresh budget and counts the redrive', async () => {
    const { run, deadLetters } = harness(transient);
    const { outcomes } = await run([{ id: 'm1', body: deadLetter('e-1', 0), receiveCount: 1 }]);
    expect(outcomes[0]).toMatchObject({ kind: 'retry', attempt: 1, delaySeconds: 5 });
    // Exhausted again: the new dead letter carries redriveCount 1.
    await run([{ id: 'm1', body: deadLetter('e-1', 0), receiveCount: 4 }]);
    expect(deadLetters.letters[0]?.failure).toMatchObject({
      attempts: 4,
      redriveCount: 1,
      firstFailureAt: '2026-11-24T17:00:00.000Z',
    });
  });

  it('processes a redriven dead letter that succeeds now', async () => {
    const { run } = harness(async () => undefined);
    const { failedMessageIds, outcomes } = await run([
      { id: 'm1', body: deadLetter('e-1', 1), receiveCount: 1 },
    ]);
    expect(failedMessageIds).toEqual([]);
    expect(outcomes[0]?.kind).toBe('processed');
  });

  it('parks a dead letter redriven past the cap without calling the processor', async () => {
    let calls = 0;
    const { run, deadLetters } = harness(async () => {
      calls++;
    });
    const { failedMessageIds } = await run([{ id: 'm1', body: deadLetter('e-1', 2), receiveCount: 1 }]);
    expect(failedMessageIds).toEqual([]);
    expect(calls).toBe(0);
    expect(deadLetters.letters[0]?.failure).toMatchObject({
      errorName: 'TransientError',
      redriveCount: 3,
      parked: true,
    });
  });

  it('re-decodes a redriven dead letter of a record that never decoded', async () => {
    const { run } = harness(async () => undefined);
    const letter = {
      ...deadLetter('x', 0),
      event: null,
      raw: {
        keyBase64: null,
        valueBase64: Buffer.from(JSON.stringify(orderPlaced('e-raw'))).toString('base64'),
      },
    };
    const { outcomes } = await run([{ id: 'm1', body: letter, receiveCount: 1 }]);
    expect(outcomes[0]).toMatchObject({ kind: 'processed', eventType: 'order.placed' });
  });

  it('dead-letters a message that is not ours, keeping its body', async () => {
    const { run, deadLetters } = harness(async () => undefined);
    const { failedMessageIds } = await run([{ id: 'm1', body: 'hello', receiveCount: 1 }]);
    expect(failedMessageIds).toEqual([]);
    expect(deadLetters.letters[0]).toMatchObject({
      raw: { valueBase64: Buffer.from('hello').toString('base64') },
      failure: { stage: 'decode', errorName: 'DecodeError', message: 'retry queue message is not JSON' },
    });
  });

  it('requeues a short-circuited retry without spending an attempt, even at the last one', async () => {
    // Prepare: the circuit is open; this receive would be the last attempt (2 before + 2nd receive)
    const { run, retryQueue, deadLetters, visibility } = harness(async () => {
      throw new CircuitOpenError('http://orders.test/events', 12);
    });
    const body = retryMessage('e-1', 2);
    // Act
    const { failedMessageIds, outcomes } = await run([{ id: 'm1', body, receiveCount: 2 }]);
    // Assess: acknowledged and sent again with the attempts actually made (3); the delay still
    // grows as for a 4th attempt (10 × 2^3 with jitter 0.5 → 40 s), never under the open period
    expect(failedMessageIds).toEqual([]);
    expect(deadLetters.letters).toEqual([]);
    expect(visibility).toEqual([]);
    expect(outcomes).toEqual([
      expect.objectContaining({ kind: 'requeued', attemptsMade: 3, delaySeconds: 40 }),
    ]);
    expect(retryQueue.scheduled).toEqual([
      { delaySeconds: 40, message: { ...body, attempts: 3, shortCircuits: 1 } },
    ]);
  });

  it('falls back to the visibility backoff (counting the attempt) when the requeue fails', async () => {
    const { run, visibility } = harness(async () => {
      throw new CircuitOpenError('http://orders.test/events', 12);
    }, 'retry queue');
    const { failedMessageIds } = await run([{ id: 'm1', body: retryMessage('e-1', 1), receiveCount: 1 }]);
    expect(failedMessageIds).toEqual(['m1']);
    expect(visibility).toEqual([{ handle: 'rh-m1', seconds: 12 }]);
  });

  it('keeps the messages when the DLQ does not acknowledge', async () => {
    const { failedMessageIds } = await retryBatch(
      [{ messageId: 'm1', receiptHandle: 'rh', body: JSON.stringify(retryMessage('e-1')), receiveCount: 9 }],
      () => 60_000,
      { ...recordingPorts(transient, 'dead-letter queue'), settings },
    );
    expect(failedMessageIds).toEqual(['m1']);
  });
});
