import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BatchMetrics } from '#shared/observability/batch-metrics.ts';
import { EmfAggregate } from '../../../../local/observability/emf-aggregate.ts';
import { EmfFileMetrics } from '../../../../local/observability/emf-file-metrics.ts';

describe('EmfFileMetrics and EmfAggregate', () => {
  it('write Powertools EMF to a file and add it back up per function', () => {
    // Prepare: two invocations' worth of metrics, published as the handlers do
    const file = join(mkdtempSync(join(tmpdir(), 'emf-')), 'emf.jsonl');
    const seen: unknown[] = [];
    const metrics = new EmfFileMetrics(
      { namespace: 'EventPipe', serviceName: 'eventpipe', defaultDimensions: { function: 'kafka-consumer' } },
      file,
      (blob) => seen.push(blob),
    );
    for (const latencies of [
      [5, 7, 9],
      [11, 13],
    ]) {
      const batch = new BatchMetrics();
      for (const latency of latencies) {
        batch.count('Processed');
        batch.observe('ProcessingLatency', latency);
      }
      batch.publish(metrics);
    }
    // Act
    const aggregate = new EmfAggregate();
    for (const line of readFileSync(file, 'utf8').trim().split('\n')) aggregate.add(JSON.parse(line));
    // Assess
    expect(seen).toHaveLength(2);
    expect(aggregate.blobs).toBe(2);
    expect(aggregate.total('kafka-consumer', 'Processed')).toBe(5);
    expect(aggregate.percentile('kafka-consumer', 'ProcessingLatency', 50)).toBe(9);
    expect(aggregate.percentile('kafka-consumer', 'ProcessingLatency', 99)).toBe(13);
    expect(aggregate.roles()).toEqual(['kafka-consumer']);
  });

  it('keeps percentiles of many values within 0.1 % without keeping the values', () => {
    // Prepare: 100,000 latencies 1..100,000 ms, as one blob each of 1,000 values
    const aggregate = new EmfAggregate();
    for (let start = 1; start <= 100_000; start += 1_000) {
      const values = Array.from({ length: 1_000 }, (_, i) => start + i);
      aggregate.add({
        function: 'kafka-consumer',
        _aws: { CloudWatchMetrics: [{ Metrics: [{ Name: 'ProcessingLatency', Unit: 'Milliseconds' }] }] },
        ProcessingLatency: values,
      });
    }
    // Act
    const p50 = aggregate.percentile('kafka-consumer', 'ProcessingLatency', 50) ?? 0;
    const p99 = aggregate.percentile('kafka-consumer', 'ProcessingLatency', 99) ?? 0;
    // Assess
    expect(Math.abs(p50 - 50_000) / 50_000).toBeLessThan(0.001);
    expect(Math.abs(p99 - 99_000) / 99_000).toBeLessThan(0.001);
    expect(aggregate.percentile('kafka-consumer', 'Unobserved', 50)).toBeUndefined();
  });
});
