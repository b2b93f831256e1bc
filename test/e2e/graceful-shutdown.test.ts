import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect } from 'vitest';
import { scenarioTest } from '../helpers/e2e-scenario.ts';
import { writeReport } from './report.ts';

const EVENTS = 10_000;
const RATE_PER_SECOND = 2_000;
const SHUTDOWN_LIMIT_MS = 45_000;

const SETTINGS = { batchSize: 100, reservedConcurrency: 4, maxAttempts: 4 };

describe('eventpipe start, stopped with signals', () => {
  scenarioTest(
    'loses nothing when SIGTERM arrives mid-stream and the runtime is restarted',
    async ({ scenario }) => {
      // Prepare: the downstream lives in this process, so it outlives the runtime's restarts
      const runtime = await scenario.cliRuntime(SETTINGS);
      const { queues } = runtime;
      const { sink, sinkUrl } = await scenario.startSink({ transientRate: 0.05 });
      const producing = scenario.produce({
        count: EVENTS,
        ratePerSecond: RATE_PER_SECOND,
        keyCardinality: 200,
      });
      // Act 1: start, let it work for a while, SIGTERM mid-stream
      const first = await runtime.start(sinkUrl);
      await sleep(2_500);
      const deliveredBeforeStop = sink.deliveries.size;
      const stopAt = Date.now();
      first.child.kill('SIGTERM');
      expect(await first.exited(SHUTDOWN_LIMIT_MS)).toBe(0);
      const stopMs = Date.now() - stopAt;
      expect(first.output()).toContain('stopped cleanly');

      // Act 2: restart and let it drain everything
      const restartAt = Date.now();
      const second = await runtime.start(sinkUrl);
      const restartMs = Date.now() - restartAt;
      await producing;
      const drainAt = Date.now();
      await scenario.drain({ queues, sink, expected: EVENTS, timeoutMs: 180_000 });
      const drainMs = Date.now() - drainAt;
      second.child.kill('SIGTERM');
      expect(await second.exited(SHUTDOWN_LIMIT_MS)).toBe(0);

      // Assess: every event delivered or dead-lettered; duplicates only counted
      const accounting = await scenario.account({ queues, sink, count: EVENTS });
      expect(accounting.missing).toEqual([]);
      expect(deliveredBeforeStop).toBeGreaterThan(0);
      expect(deliveredBeforeStop).toBeLessThan(EVENTS);
      writeReport('e2e-graceful-shutdown', {
        events: EVENTS,
        deliveredBeforeSigterm: deliveredBeforeStop,
        gracefulStopMs: stopMs,
        restartMs,
        drainAfterProducingMs: drainMs,
        delivered: accounting.delivered,
        deadLettered: accounting.deadLettered,
        missing: accounting.missing.length,
        duplicateDeliveries: accounting.duplicateDeliveries,
      });
    },
  );

  scenarioTest('exits at once with 130 on a second signal', async ({ scenario }) => {
    const runtime = await scenario.cliRuntime(SETTINGS);
    const { sinkUrl } = await scenario.startSink({ latencyMs: 2_000 });
    await scenario.produce({ count: 200, keyCardinality: 50, payloadBytes: 256 });
    const cli = await runtime.start(sinkUrl);
    await sleep(1_000); // invocations are now waiting on the slow downstream
    cli.child.kill('SIGINT');
    await cli.waitFor('stopping', 5_000);
    cli.child.kill('SIGINT');
    expect(await cli.exited(5_000)).toBe(130);
    expect(cli.output()).toContain('SIGINT again: exiting at once');
  });
});
