import { describe, expect, it } from 'vitest';
import { BatchMetrics, quantiles } from '#shared/observability/batch-metrics.ts';

describe('BatchMetrics', () => {
  it('publishes summed counts and at most 100 values per distribution, then flushes once', () => {
    // Prepare
    const added: [string, string, number][] = [];
    let flushes = 0;
    const metrics = {
      addMetric: (name: string, unit: string, value: number) => void added.push([name, unit, value]),
      publishStoredMetrics: () => void flushes++,
    };
    const batch = new BatchMetrics();
    // Act
    for (let i = 0; i < 1_000; i++) {
      batch.count('Processed');
      batch.observe('ProcessingLatency', i);
    }
    batch.publish(metrics as never);
    // Assess
    expect(added.filter(([name]) => name === 'Processed')).toEqual([['Processed', 'Count', 1_000]]);
    const latencies = added.filter(([name]) => name === 'ProcessingLatency').map(([, , value]) => value);
    expect(latencies).toHaveLength(100);
    expect(latencies[0]).toBe(0);
    expect(latencies[99]).toBe(999);
    expect(flushes).toBe(1);
  });
});

describe('quantiles', () => {
  it('returns short lists sorted and whole', () => {
    expect(quantiles([3, 1, 2], 100)).toEqual([1, 2, 3]);
  });
});
