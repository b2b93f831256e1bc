import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { produceLoad } from '../../local/produce/load-generator.ts';
import { WebhookSink } from '../../local/sink/webhook-sink.ts';
import { createTestTopic, runSettings, startIsolatedRuntime } from '../helpers/e2e-runtime.ts';
import { endpoints, uniqueName } from '../helpers/local-stack.ts';
import { writeReport } from './report.ts';

const BACKLOG = 30_000;
const RESERVED_CONCURRENCY = 3;
const BATCH_SIZE = 50;
const OBSERVE_MS = 8_000;
const SAMPLE_MS = 50;

describe('worker pool and backpressure', () => {
  it('never runs more than reservedConcurrency invocations and pauses fetching when they are all busy', async () => {
    // Prepare: a large backlog and a slow downstream (20 ms per event)
    const run = uniqueName('pool');
    await createTestTopic(run);
    await produceLoad({
      brokers: endpoints.kafkaBrokers,
      topic: run,
      count: BACKLOG,
      runId: run,
      keyCardinality: 500,
      payloadBytes: 512,
      invalidShare: 0,
    });
    const sink = new WebhookSink({ latencyMs: 20 });
    const sinkUrl = await sink.start();
    const settings = runSettings(run, {
      batchSize: BATCH_SIZE,
      maxBatchingWindowSeconds: 0,
      reservedConcurrency: RESERVED_CONCURRENCY,
      recordConcurrency: 2,
    });
    const runtime = await startIsolatedRuntime(run, {
      settings,
      sinkUrl,
    });
    // Act: watch the emulator while it works through the backlog
    const samples: { inFlight: number; buffered: number; rssMb: number }[] = [];
    const until = Date.now() + OBSERVE_MS;
    try {
      while (Date.now() < until) {
        samples.push({
          inFlight: runtime.kafkaEsm.stats.inFlight,
          buffered: runtime.kafkaEsm.stats.buffered,
          rssMb: process.memoryUsage().rss / 2 ** 20,
        });
        await sleep(SAMPLE_MS);
      }
    } finally {
      await runtime.stop(10_000);
      await sink.stop();
    }
    // Assess: the pool was saturated but never exceeded; the buffer stayed bounded because fetching paused
    const { stats } = runtime.kafkaEsm;
    const highWater = RESERVED_CONCURRENCY * BATCH_SIZE * 2;
    expect(Math.max(...samples.map((s) => s.inFlight))).toBe(RESERVED_CONCURRENCY);
    expect(stats.maxInFlight).toBe(RESERVED_CONCURRENCY);
    expect(stats.pauses).toBeGreaterThan(0);
    expect(stats.recordsCommitted).toBeLessThan(BACKLOG); // the backlog was still there: the test saw a saturated pool
    // One fetch response may land after the pause: bounded by a fetch's worth, far below the backlog.
    expect(stats.maxBuffered).toBeLessThan(highWater + 3_000);
    writeReport('e2e-backpressure', {
      backlog: BACKLOG,
      reservedConcurrency: RESERVED_CONCURRENCY,
      batchSize: BATCH_SIZE,
      maxInFlight: stats.maxInFlight,
      fetchPauses: stats.pauses,
      maxBufferedRecords: stats.maxBuffered,
      bufferHighWater: highWater,
      recordsCommittedIn8s: stats.recordsCommitted,
      rssMbFirst: Math.round(samples[0]?.rssMb ?? 0),
      rssMbMax: Math.round(Math.max(...samples.map((s) => s.rssMb))),
    });
  });
});
