import { setTimeout as sleep } from 'node:timers/promises';
import type { LocalEndpoints } from '#shared/config/local-endpoints.ts';
import type { Processor } from '#shared/pipeline/ports.ts';
import { benchBacklog, startBenchRuntime } from './runtime-harness.ts';

interface ScalingCell {
  readonly reservedConcurrency: number;
  readonly batchSize: number;
  readonly eventsPerSecond: number;
  readonly invocations: number;
  readonly msPerInvocation: number;
}

const ROUND_LIMIT_MS = 60_000;

/**
 * Events/s for each pool size × batch size with a processor that waits 1 ms (I/O), each cell a
 * fresh consumer group over the same pre-filled topic: the table that tells an operator how to
 * size `reservedConcurrency` and `batchSize`.
 */
async function runScalingBenchmark(endpoints: LocalEndpoints, quick: boolean): Promise<ScalingCell[]> {
  const pools = quick ? [2] : [1, 2, 4, 8];
  const batches = quick ? [100] : [10, 100, 500, 2_000];
  const events = quick ? 2_000 : 20_000;
  const topic = await benchBacklog(endpoints, 'bench-scaling', events, 2_000);
  const processor: Processor = () => sleep(1);
  const cells: ScalingCell[] = [];
  for (const reservedConcurrency of pools) {
    for (const batchSize of batches) {
      const started = performance.now();
      const runtime = await startBenchRuntime(endpoints, topic, processor, {
        batchSize,
        reservedConcurrency,
        maxBatchingWindowSeconds: 0,
      });
      const deadline = Date.now() + ROUND_LIMIT_MS;
      while (runtime.kafkaEsm.stats.recordsCommitted < events && Date.now() < deadline) await sleep(20);
      const elapsedMs = performance.now() - started;
      const { recordsCommitted, invocations } = runtime.kafkaEsm.stats;
      await runtime.stop(10_000);
      cells.push({
        reservedConcurrency,
        batchSize,
        eventsPerSecond: Math.round((recordsCommitted * 1_000) / elapsedMs),
        invocations,
        msPerInvocation: Number(((elapsedMs * reservedConcurrency) / Math.max(1, invocations)).toFixed(1)),
      });
    }
  }
  return cells;
}

/**
 * Lambda cost per million events from a measured duration per invocation: compute (GB-seconds at
 * the arm64 price) plus requests. Prices are the published us-east-1 arm64 list prices; the
 * processor's own work (here a no-op) dominates real costs.
 */
function costPerMillionEvents(msPerInvocation: number, recordsPerInvocation: number, memoryMb: number) {
  const ARM64_USD_PER_GB_SECOND = 0.0000133334;
  const USD_PER_MILLION_REQUESTS = 0.2;
  const invocations = 1_000_000 / recordsPerInvocation;
  const compute = invocations * (msPerInvocation / 1_000) * (memoryMb / 1_024) * ARM64_USD_PER_GB_SECOND;
  const requests = (invocations / 1_000_000) * USD_PER_MILLION_REQUESTS;
  return {
    invocations,
    usdCompute: Number(compute.toFixed(6)),
    usdRequests: Number(requests.toFixed(6)),
    usdTotal: Number((compute + requests).toFixed(6)),
  };
}

export type { ScalingCell };
export { costPerMillionEvents, runScalingBenchmark };
