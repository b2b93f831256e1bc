import type { BatchResultErrorEntry, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  chunk,
  deadLetterAttributes,
  sendInBatches,
  serializeDeadLetter,
} from '#shared/adapters/sqs-queues.ts';
import { loadSqsSdk, type SqsSender } from '#shared/adapters/sqs-sdk.ts';
import type { DeadLetter } from '#shared/pipeline/messages.ts';

const letter: DeadLetter = {
  kind: 'eventpipe.dead-letter/v1',
  event: { id: 'e-1', type: 'order.placed', data: { blob: 'x'.repeat(5_000) } },
  raw: null,
  source: {
    topic: 'orders',
    partition: 2,
    offset: 99,
    timestamp: 1,
    timestampType: 'CREATE_TIME',
    key: 'k',
    keyBase64: 'aw==',
    headers: {},
  },
  failure: {
    stage: 'process',
    errorName: 'TransientError',
    message: 'HTTP 503',
    attempts: 5,
    firstFailureAt: '2026-11-24T18:00:00.000Z',
    lastFailureAt: '2026-11-24T19:00:00.000Z',
    redriveCount: 0,
  },
  oversized: false,
};

describe('serializeDeadLetter', () => {
  it('keeps a dead letter that fits whole', () => {
    expect(JSON.parse(serializeDeadLetter(letter, 10_000))).toEqual(letter);
  });

  it('drops the payload of one too large for SQS, keeping coordinates and failure, flagged', () => {
    const slim = JSON.parse(serializeDeadLetter(letter, 1_000)) as DeadLetter;
    expect(slim).toEqual({ ...letter, event: { id: 'e-1', type: 'order.placed' }, oversized: true });
  });
});

describe('deadLetterAttributes', () => {
  it('repeats stage, error, type and topic for filtering', () => {
    expect(deadLetterAttributes(letter)).toEqual({
      stage: 'process',
      errorName: 'TransientError',
      eventType: 'order.placed',
      topic: 'orders',
    });
    expect(deadLetterAttributes({ ...letter, failure: { ...letter.failure, parked: true } }).parked).toBe(
      'true',
    );
  });
});

describe('chunk', () => {
  it('groups at most 10 entries per SendMessageBatch call', () => {
    const entries = Array.from({ length: 25 }, (_, i) => ({ id: String(i), body: 'x' }));
    expect(chunk(entries).map((batch) => batch.length)).toEqual([10, 10, 5]);
  });

  it('keeps each call under 1 MiB of payload', () => {
    const entries = Array.from({ length: 5 }, (_, i) => ({ id: String(i), body: 'x'.repeat(400_000) }));
    expect(chunk(entries).map((batch) => batch.length)).toEqual([2, 2, 1]);
  });
});

/**
 * A fault-injecting SQS client: `answer` decides each SendMessageBatch call's `Failed` entries
 * (shape per the SendMessageBatch API reference, BatchResultErrorEntry: Id, SenderFault, Code,
 * Message — https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatch.html).
 */
function fakeSqs(answer: (ids: string[], call: number) => BatchResultErrorEntry[]) {
  const calls: { ids: string[]; at: number }[] = [];
  const client = {
    send: async (command: SendMessageBatchCommand) => {
      const ids = (command.input.Entries ?? []).map((entry) => entry.Id ?? '');
      calls.push({ ids, at: Date.now() });
      const failed = answer(ids, calls.length);
      return { Successful: [], Failed: failed };
    },
  } as unknown as SqsSender;
  return { client, calls };
}

const entries = (n: number) => Array.from({ length: n }, (_, i) => ({ id: String(i), body: `{"n":${i}}` }));
const throttled = (id: string): BatchResultErrorEntry => ({
  Id: id,
  SenderFault: false,
  Code: 'ThrottlingException',
  Message: 'slow down',
});

describe('sendInBatches', () => {
  // The SDK is imported on first use: loaded before the clock is faked, its import cannot outlast the timers run.
  beforeAll(async () => {
    await loadSqsSdk();
  });
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('resends only the entries SQS failed, after 100, 200 and 400 ms, then names them', async () => {
    const { client, calls } = fakeSqs((ids) => ids.filter((id) => id === '3').map(throttled));
    const sent = sendInBatches(client, 'q', entries(5));
    const settled = expect(sent).rejects.toThrow(
      'SQS did not accept 1 of 1 batches: 1 entries rejected (first: ThrottlingException: slow down)',
    );
    await vi.runAllTimersAsync();
    await settled;
    expect(calls.map((call) => call.ids)).toEqual([['0', '1', '2', '3', '4'], ['3'], ['3'], ['3']]);
    expect(calls.slice(1).map((call, i) => call.at - (calls[i]?.at ?? 0))).toEqual([100, 200, 400]);
  });

  it('succeeds once a resend is accepted', async () => {
    const { client, calls } = fakeSqs((ids, call) => (call === 1 ? ids.slice(0, 2).map(throttled) : []));
    const sent = sendInBatches(client, 'q', entries(4));
    await vi.runAllTimersAsync();
    await expect(sent).resolves.toBeUndefined();
    expect(calls.map((call) => call.ids)).toEqual([
      ['0', '1', '2', '3'],
      ['0', '1'],
    ]);
  });

  it('does not resend a batch with a sender fault (a malformed entry)', async () => {
    const { client, calls } = fakeSqs((ids) => [
      { Id: ids[0] ?? '', SenderFault: true, Code: 'InvalidParameterValue', Message: 'bad body' },
    ]);
    const sent = sendInBatches(client, 'q', entries(2));
    const settled = expect(sent).rejects.toThrow(
      '1 entries rejected (first: InvalidParameterValue: bad body)',
    );
    await vi.runAllTimersAsync();
    await settled;
    expect(calls).toHaveLength(1);
  });

  it('does not resend a call that failed (the SDK retried it already) and still sends the other batches', async () => {
    const refused = new Error('AccessDenied');
    const calls: string[][] = [];
    const client = {
      send: async (command: SendMessageBatchCommand) => {
        const ids = (command.input.Entries ?? []).map((entry) => entry.Id ?? '');
        calls.push(ids);
        if (ids.includes('10')) throw refused;
        return { Successful: [], Failed: [] };
      },
    } as unknown as SqsSender;
    const sent = sendInBatches(client, 'q', entries(25));
    const settled = expect(sent).rejects.toSatisfy(
      (error: Error) =>
        error.message === 'SQS did not accept 1 of 3 batches: AccessDenied' && error.cause === refused,
    );
    await vi.runAllTimersAsync();
    await settled;
    expect(calls.map((ids) => ids.length).sort()).toEqual([10, 10, 5]);
  });
});
