import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect } from 'vitest';
import type { WebhookSink } from '../../local/sink/webhook-sink.ts';
import { scenarioTest } from '../helpers/e2e-scenario.ts';
import { writeReport } from './report.ts';

const EVENTS = 15_000;
const RATE_PER_SECOND = 250;
const KILLS = 5;
/** Each kill lands this long (at random) after the new process has shown progress. */
const KILL_JITTER_MS = 2_000;
/** Deliveries a restarted process must make before it is killed, so every kill interrupts work. */
const PROGRESS_BEFORE_KILL = 30;
/** The retry queue's visibility is 6 × this: a killed worker's messages come back after 18 s. */
const WORKER_TIMEOUT_SECONDS = 3;

async function waitForDeliveries(sink: WebhookSink, atLeast: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (sink.stats.requests < atLeast) {
    if (Date.now() > deadline)
      throw new Error(`fewer than ${atLeast} downstream calls after ${timeoutMs} ms`);
    await sleep(50);
  }
}

describe('eventpipe start, killed with SIGKILL', () => {
  scenarioTest(
    'loses nothing when killed five times at random points mid-stream and restarted each time',
    async ({ scenario }) => {
      // Prepare: the downstream lives in this process, so it outlives every kill
      const runtime = await scenario.cliRuntime({
        batchSize: 100,
        reservedConcurrency: 4,
        maxAttempts: 6,
        deadlineMarginMs: 1_000,
        retryWorker: { timeoutSeconds: WORKER_TIMEOUT_SECONDS },
      });
      const { queues } = runtime;
      const { sink, sinkUrl } = await scenario.startSink({ transientRate: 0.05, permanentRate: 0.01 });
      const kills: { afterMs: number; requestsAtKill: number; recoveredMs: number }[] = [];
      const producing = scenario.produce({
        count: EVENTS,
        ratePerSecond: RATE_PER_SECOND,
        keyCardinality: 200,
      });

      // Act: start, wait for progress, kill at a random moment; five times, then a last run drains
      for (let kill = 0; kill < KILLS; kill++) {
        const startedAt = Date.now();
        const requestsBefore = sink.stats.requests;
        const cli = await runtime.start(sinkUrl);
        await waitForDeliveries(sink, requestsBefore + PROGRESS_BEFORE_KILL, 90_000);
        const recoveredMs = Date.now() - startedAt;
        await sleep(Math.random() * KILL_JITTER_MS);
        cli.child.kill('SIGKILL');
        await cli.exited(10_000);
        kills.push({ afterMs: Date.now() - startedAt, requestsAtKill: sink.stats.requests, recoveredMs });
      }
      const last = await runtime.start(sinkUrl);
      await producing;
      const drainAt = Date.now();
      await scenario.drain({ queues, sink, expected: EVENTS, timeoutMs: 240_000 });
      const drainMs = Date.now() - drainAt;
      last.child.kill('SIGTERM');
      expect(await last.exited(45_000)).toBe(0);

      // Assess: every event delivered or dead-lettered (rejected by the downstream); duplicates counted
      const accounting = await scenario.account({ queues, sink, count: EVENTS });
      expect(accounting.missing).toEqual([]);
      expect(accounting.wrongStage).toEqual([]);
      expect(kills).toHaveLength(KILLS);
      writeReport('e2e-sigkill', {
        events: EVENTS,
        kills: kills.length,
        killPoints: kills,
        worstRecoverySeconds: Math.max(...kills.map((k) => k.recoveredMs)) / 1_000,
        drainAfterProducingSeconds: drainMs / 1_000,
        delivered: accounting.delivered,
        deadLettered: accounting.deadLettered,
        missing: accounting.missing.length,
        duplicateDeliveries: accounting.duplicateDeliveries,
        deliveredAndDead: accounting.deliveredAndDead,
      });
    },
  );
});
