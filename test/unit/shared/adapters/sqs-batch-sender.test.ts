import { describe, expect, it } from 'vitest';
import { chunk } from '#shared/adapters/sqs-queues.ts';

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
