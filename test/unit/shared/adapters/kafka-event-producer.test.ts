import { describe, expect, it } from 'vitest';
import { chunksOf } from '#shared/adapters/kafka-event-producer.ts';
import type { IngestRecord } from '#shared/ingest/types.ts';

/** A record of exactly `bytes` bytes (value, a one-byte key, no headers). */
function recordOf(bytes: number, key = 'k'): IngestRecord {
  return { key, value: Buffer.alloc(bytes - key.length), headers: {} };
}

describe('chunksOf', () => {
  it('keeps records in order, each group within the bound', () => {
    // Act
    const chunks = chunksOf([recordOf(40), recordOf(40), recordOf(40), recordOf(10)], 100);
    // Assess
    expect(chunks.map((chunk) => chunk.length)).toEqual([2, 2]);
  });

  it('sends a record larger than the bound on its own', () => {
    const chunks = chunksOf([recordOf(10), recordOf(150), recordOf(10)], 100);
    expect(chunks.map((chunk) => chunk.length)).toEqual([1, 1, 1]);
  });

  it('counts header names and values', () => {
    const record = { key: 'k', value: Buffer.alloc(49), headers: { ce_id: 'x'.repeat(45) } };
    expect(chunksOf([record, record], 100)).toHaveLength(2);
  });
});
