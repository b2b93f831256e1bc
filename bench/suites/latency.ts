import { setTimeout as sleep } from 'node:timers/promises';
import type { LocalEndpoints } from '#shared/config/local-endpoints.ts';
import type { Processor } from '#shared/pipeline/ports.ts';
import { produceLoad } from '../../local/produce/load-generator.ts';
import { benchTopic, percentile, startBenchRuntime } from './runtime-harness.ts';

interface LatencyResult {
  readonly batchingWindow: string;
  readonly ratePerSecond: number;
  readonly events: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
}

/**
 * End-to-end latency at a fixed produce rate: from the record's Kafka timestamp (set by the
 * producer) to the moment the processor runs, with batching window 0 and with Lambda's default.
 */
async function runLatencyBenchmark(endpoints: LocalEndpoints, quick: boolean): Promise<LatencyResult[]> {
  const rate = 2_000;
  const seconds = quick ? 3 : 60;
  const results: LatencyResult[] = [];
  for (const window of [0, undefined] as const) {
    const topic = await benchTopic(endpoints, 'bench-latency');
    const latencies: number[] = [];
    const processor: Processor = async (_event, context) => {
      latencies.push(Date.now() - context.source.timestamp);
    };
    const runtime = await startBenchRuntime(endpoints, topic, processor, {
      batchSize: 500,
      reservedConcurrency: 6,
      ...(window === undefined ? {} : { maxBatchingWindowSeconds: window }),
    });
    try {
      await sleep(1_000); // let the group settle so start-up is not measured
      await produceLoad({
        brokers: endpoints.kafkaBrokers,
        topic,
        count: rate * seconds,
        ratePerSecond: rate,
        runId: topic,
        keyCardinality: 1_000,
        payloadBytes: 512,
        invalidShare: 0,
      });
      const deadline = Date.now() + 30_000;
      while (latencies.length < rate * seconds && Date.now() < deadline) await sleep(50);
    } finally {
      await runtime.stop(10_000);
    }
    results.push({
      batchingWindow: window === undefined ? 'default (500 ms)' : `${window} s`,
      ratePerSecond: rate,
      events: latencies.length,
      p50Ms: percentile(latencies, 50),
      p95Ms: percentile(latencies, 95),
      p99Ms: percentile(latencies, 99),
    });
  }
  return results;
}

export type { LatencyResult };
export { runLatencyBenchmark };
