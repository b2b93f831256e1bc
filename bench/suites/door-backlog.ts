import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import type { LocalEndpoints } from '#shared/config/local-endpoints.ts';
import type { Processor } from '#shared/pipeline/ports.ts';
import type { HttpLoadOptions } from '../../local/produce/http-load-generator.ts';
import { benchTopic, percentile, startBenchRuntime } from './runtime-harness.ts';

const TOKEN = 'bench-door-backlog';
/** Slower than the door: the processor waits this long per event (I/O), with a pool of 2. */
const PROCESSOR_MS = 4;

interface DoorBacklogSample {
  readonly second: number;
  readonly lag: number;
  /** Events processed in this second. */
  readonly processedPerSecond: number;
  /** Events accepted at the door in this second. */
  readonly acceptedPerSecond: number;
}

interface DoorBacklogResult {
  readonly seconds: number;
  readonly processorMs: number;
  readonly samples: DoorBacklogSample[];
  /** Lag at the end: what a lag bound at the door would have refused instead. */
  readonly finalLag: number;
  /** Consumer events/s in the last third of the run ÷ in the first third: 1 means the backlog does not slow it. */
  readonly consumerLastToFirstThird: number;
  /** Door p50 latency to 202 in the last third ÷ the first third. */
  readonly doorP50LastToFirstThird: number;
  readonly maxBufferedRecords: number;
}

/**
 * Issue 15's question: should the front door also refuse (429) when the consumer lags? The door
 * accepts faster than the consumer can process (a 4 ms processor, a pool of 2), so the lag grows
 * all along; sampled every second: lag, events processed, events accepted, and the door's latency
 * to 202. Load shedding on lag would help only if the backlog hurt something — the consumer's
 * throughput or the door's latency, or memory (bench/suites/backlog-memory.ts: the buffer is
 * bounded). Bounded in time.
 */
async function runDoorBacklogBenchmark(
  endpoints: LocalEndpoints,
  quick: boolean,
): Promise<DoorBacklogResult> {
  const seconds = quick ? 6 : 45;
  const topic = await benchTopic(endpoints, 'bench-door-backlog');
  let processedEvents = 0;
  const processor: Processor = async () => {
    await sleep(PROCESSOR_MS);
    processedEvents++;
  };
  const runtime = await startBenchRuntime(
    endpoints,
    topic,
    processor,
    {
      batchSize: 100,
      reservedConcurrency: 2,
      recordConcurrency: 1,
      maxBatchingWindowSeconds: 0,
      ingest: { throttling: { rateLimit: 10_000, burstLimit: 5_000 }, reservedConcurrency: 4 },
    },
    { frontDoor: { bearerToken: TOKEN, port: 0 } },
  );
  const door = runtime.frontDoor;
  if (!door) throw new Error('door-backlog bench: the front door did not start');
  try {
    const client = clientThread({
      url: door.url,
      bearerToken: TOKEN,
      count: 10_000_000,
      batchSize: 50,
      concurrency: 4,
      runId: topic,
      keyCardinality: 300,
      payloadBytes: 512,
      invalidShare: 0,
      durationMs: seconds * 1_000,
    });
    const samples: DoorBacklogSample[] = [];
    let maxBuffered = 0;
    let previousProcessed = 0;
    let previousIngested = 0;
    for (let second = 1; second <= seconds; second++) {
      await sleep(1_000);
      const processed = processedEvents;
      const ingested = door.stats.ingested;
      maxBuffered = Math.max(maxBuffered, runtime.kafkaEsm.stats.buffered);
      samples.push({
        second,
        lag: await runtime.kafkaEsm.lag().catch(() => -1),
        processedPerSecond: processed - previousProcessed,
        acceptedPerSecond: ingested - previousIngested,
      });
      previousProcessed = processed;
      previousIngested = ingested;
    }
    const latencies = await client;
    const third = Math.max(1, Math.floor(seconds / 3));
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
    const firstRate = mean(samples.slice(0, third).map((s) => s.processedPerSecond));
    const lastRate = mean(samples.slice(-third).map((s) => s.processedPerSecond));
    const cut = Math.floor(latencies.length / 3);
    const round2 = (n: number) => Math.round(n * 100) / 100;
    return {
      seconds,
      processorMs: PROCESSOR_MS,
      samples,
      finalLag: samples.at(-1)?.lag ?? 0,
      consumerLastToFirstThird: round2(lastRate / Math.max(1, firstRate)),
      doorP50LastToFirstThird: round2(
        percentile(latencies.slice(-cut), 50) / Math.max(0.01, percentile(latencies.slice(0, cut), 50)),
      ),
      maxBufferedRecords: maxBuffered,
    };
  } finally {
    await runtime.stop();
  }
}

/** The client on its own thread for `durationMs`; resolves with its 202 latencies in order. */
function clientThread(options: HttpLoadOptions & { durationMs: number }): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./http-client-worker.ts', import.meta.url), { workerData: options });
    worker.once('message', (result: { acceptedLatenciesMs: number[] }) =>
      resolve(result.acceptedLatenciesMs),
    );
    worker.once('error', reject);
  });
}

export type { DoorBacklogResult };
export { runDoorBacklogBenchmark };
