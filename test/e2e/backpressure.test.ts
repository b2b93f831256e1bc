import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect } from 'vitest';
import { scenarioTest } from '../helpers/e2e-scenario.ts';
import { writeReport } from './report.ts';

const BACKLOG = 30_000;
const RESERVED_CONCURRENCY = 3;
const BATCH_SIZE = 50;
const OBSERVE_MS = 8_000;
const SAMPLE_MS = 50;

describe('worker pool and backpressure', () => {
  scenarioTest(
    'never runs more than reservedConcurrency invocations and pauses fetching when they are all busy',
    async ({ scenario }) => {
      // Prepare: a large backlog and a slow downstream (20 ms per event)
      await scenario.createTopic();
      await scenario.produce({ count: BACKLOG, keyCardinality: 500 });
      const { runtime } = await scenario.start({
        settings: { batchSize: BATCH_SIZE, reservedConcurrency: RESERVED_CONCURRENCY, recordConcurrency: 2 },
        sink: { latencyMs: 20 },
      });
      // Act: watch the emulator while it works through the backlog
      const samples: { inFlight: number; buffered: number; rssMb: number }[] = [];
      const until = Date.now() + OBSERVE_MS;
      while (Date.now() < until) {
        samples.push({
          inFlight: runtime.kafkaEsm.stats.inFlight,
          buffered: runtime.kafkaEsm.stats.buffered,
          rssMb: process.memoryUsage().rss / 2 ** 20,
        });
        await sleep(SAMPLE_MS);
      }
      // Stopped before the assessment, so that the figures are final
      await runtime.stop(10_000);
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
    },
  );
});
