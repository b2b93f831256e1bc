import { describe, expect, it } from 'vitest';
import { chunk, deadLetterAttributes, serializeDeadLetter } from '#shared/adapters/sqs-queues.ts';
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
