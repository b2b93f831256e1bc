import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect } from 'vitest';
import { scenarioTest } from '../helpers/e2e-scenario.ts';
import { writeReport } from './report.ts';

const EVENTS = 7_000;
const RATE_PER_SECOND = 100;
const OUTAGE_MS = 60_000;
const OPEN_SECONDS = 2;
/** The downstream goes down this long after production starts. */
const LEAD_IN_MS = 2_000;

describe('downstream outage', () => {
  scenarioTest(
    'bounds the calls to a dead downstream with the circuit breaker and delivers everything once it is back',
    async ({ scenario }) => {
      // Prepare
      const { sink, queues } = await scenario.start({
        settings: {
          batchSize: 100,
          reservedConcurrency: 6,
          // A budget far shorter than the outage (8 attempts, delays capped at 8 s): receives the open
          // circuit short-circuits spend no attempt, so the outage does not exhaust it.
          maxAttempts: 8,
          backoffCapSeconds: 8,
          circuitBreaker: { failureThreshold: 5, openSeconds: OPEN_SECONDS },
          retryWorker: { concurrency: 5 },
        },
      });
      // Act: produce for 70 s; after 2 s the downstream answers 503 to everything for 60 s
      const producing = scenario.produce({
        count: EVENTS,
        ratePerSecond: RATE_PER_SECOND,
        payloadBytes: 256,
      });
      await sleep(LEAD_IN_MS);
      sink.setFailures({ transientRate: 1 });
      const requestsAtOutage = sink.stats.requests;
      const deliveredAtOutage = sink.deliveries.size;
      await sleep(OUTAGE_MS);
      const callsDuringOutage = sink.stats.requests - requestsAtOutage;
      sink.setFailures({ transientRate: 0 });
      const recoveredAt = Date.now();
      await producing;
      await scenario.drain({ queues, sink, expected: EVENTS, timeoutMs: 120_000 });
      const recoveryMs = Date.now() - recoveredAt;
      // Assess: while down, the downstream saw a bounded trickle (the threshold, in-flight calls,
      // one probe per route per open period) instead of one call per event; nothing was lost
      const productionMs = (EVENTS / RATE_PER_SECOND) * 1_000;
      const eventsDuringOutage = (Math.min(OUTAGE_MS, productionMs - LEAD_IN_MS) / 1_000) * RATE_PER_SECOND;
      const accounting = await scenario.account({ queues, sink, count: EVENTS });
      expect(callsDuringOutage).toBeLessThan(eventsDuringOutage / 4);
      expect(accounting.missing).toEqual([]);
      expect(accounting.deadLettered).toBe(0);
      writeReport('e2e-downstream-outage', {
        events: EVENTS,
        outageSeconds: OUTAGE_MS / 1_000,
        eventsProducedDuringOutage: eventsDuringOutage,
        deliveredBeforeOutage: deliveredAtOutage,
        downstreamCallsDuringOutage: callsDuringOutage,
        recoverySeconds: recoveryMs / 1_000,
        delivered: accounting.delivered,
        missing: accounting.missing.length,
        duplicateDeliveries: accounting.duplicateDeliveries,
      });
    },
  );
});
