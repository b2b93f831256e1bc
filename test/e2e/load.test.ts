import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect } from 'vitest';
import { scenarioTest } from '../helpers/e2e-scenario.ts';
import { writeReport } from './report.ts';

/** CI runs 20,000 events; `npm run test:load` runs the full 200,000. */
const EVENTS = Number(process.env.EVENTPIPE_LOAD_EVENTS ?? 20_000);
const TRANSIENT_RATE = 0.05;
/**
 * Memory bounded: the runtime runs with a V8 heap of 256 MB (Lambda-sized; without a limit V8 on
 * this 24 GB machine lets garbage pile up to several hundred MB before collecting) and must finish
 * without running out, its resident memory under the bound below.
 */
const HEAP_LIMIT_MB = 256;
/** The heap plus what lives outside it (code, young generation, socket and fetch buffers). */
const MAX_RUNTIME_RSS_MB = 512;
/** Not growing: the second half of the run may not need much more memory than the first. */
const MAX_RSS_GROWTH = 1.25;
const RSS_SAMPLE_MS = 500;

/** Resident memory of a process, from /proc (Linux), in MB. */
function residentMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`${field}:\\s+(\\d+) kB`));
  return Number(match?.[1] ?? Number.NaN) / 1024;
}

describe(`load: ${EVENTS.toLocaleString('en')} events with ${TRANSIENT_RATE * 100} % transient failures`, () => {
  scenarioTest(
    'sustains the highest rate the local stack allows with bounded memory and loses nothing',
    async ({ scenario }) => {
      // Prepare: the runtime in its own process (`eventpipe start`), so its memory is its own
      const runtime = await scenario.cliRuntime(
        { batchSize: 500, reservedConcurrency: 6, maxAttempts: 8, retryWorker: { concurrency: 4 } },
        { NODE_OPTIONS: `--max-old-space-size=${HEAP_LIMIT_MB}` },
      );
      const { queues } = runtime;
      const { sink, sinkUrl } = await scenario.startSink({ transientRate: TRANSIENT_RATE });
      // Act: produce as fast as the broker takes it while the runtime consumes
      const cli = await runtime.start(sinkUrl);
      const pid = cli.child.pid ?? 0;
      const samples: number[] = [];
      const sampler = setInterval(() => samples.push(residentMb(pid, 'VmRSS')), RSS_SAMPLE_MS);
      const started = Date.now();
      const produced = scenario.produce({ count: EVENTS, keyCardinality: 1_000 });
      await produced;
      const producedMs = Date.now() - started;
      await scenario.drain({ queues, sink, expected: EVENTS, timeoutMs: 540_000 });
      const drainedMs = Date.now() - started;
      clearInterval(sampler);
      const peakRssMb = residentMb(pid, 'VmHWM');
      cli.child.kill('SIGTERM');
      expect(await cli.exited(45_000)).toBe(0);
      await sleep(0);

      // Assess
      const accounting = await scenario.account({ queues, sink, count: EVENTS });
      const half = Math.floor(samples.length / 2);
      const firstHalfMb = Math.max(...samples.slice(0, half));
      const secondHalfMb = Math.max(...samples.slice(half));
      writeReport(`e2e-load-${EVENTS}`, {
        events: EVENTS,
        transientRate: TRANSIENT_RATE,
        producedSeconds: producedMs / 1_000,
        drainedSeconds: drainedMs / 1_000,
        eventsPerSecond: Math.round(EVENTS / (drainedMs / 1_000)),
        transientFailuresInjected: sink.stats.transientFailures,
        runtimeHeapLimitMb: HEAP_LIMIT_MB,
        runtimePeakRssMb: Math.round(peakRssMb),
        runtimeRssFirstHalfMaxMb: Math.round(firstHalfMb),
        runtimeRssSecondHalfMaxMb: Math.round(secondHalfMb),
        delivered: accounting.delivered,
        missing: accounting.missing.length,
        duplicateDeliveries: accounting.duplicateDeliveries,
      });
      // Figures first (above), so a failing run still reports them
      expect(accounting.missing).toEqual([]);
      expect(accounting.deadLettered).toBe(0);
      expect(peakRssMb).toBeLessThan(MAX_RUNTIME_RSS_MB);
      expect(secondHalfMb).toBeLessThan(firstHalfMb * MAX_RSS_GROWTH);
    },
  );
});
