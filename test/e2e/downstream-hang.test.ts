import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect } from 'vitest';
import { scenarioTest } from '../helpers/e2e-scenario.ts';
import { writeReport } from './report.ts';

const EVENTS = 3_000;
const RATE_PER_SECOND = 150;
/** Both functions time out after 6 s; the downstream hangs far longer than that. */
const FUNCTION_TIMEOUT_SECONDS = 6;
const HANG_MS = 60_000;
const HANG_PERIOD_MS = 15_000;
const LEAD_IN_MS = 3_000;

describe('downstream hanging past the deadline', () => {
  scenarioTest(
    'ends every invocation before its timeout, retries what hung and loses nothing',
    async ({ scenario }) => {
      // Prepare: the HTTP timeout is longer than the function timeout, so only the deadline saves us
      const { sink, runtime, queues } = await scenario.start({
        settings: {
          batchSize: 50,
          reservedConcurrency: 4,
          maxAttempts: 10,
          deadlineMarginMs: 1_000,
          httpTimeoutMs: 120_000,
          consumer: { timeoutSeconds: FUNCTION_TIMEOUT_SECONDS },
          circuitBreaker: { failureThreshold: 5, openSeconds: 2 },
          retryWorker: { timeoutSeconds: FUNCTION_TIMEOUT_SECONDS },
        },
      });
      // Act: from 3 s to 18 s every request to the downstream hangs for a minute
      const producing = scenario.produce({
        count: EVENTS,
        ratePerSecond: RATE_PER_SECOND,
        keyCardinality: 200,
        payloadBytes: 256,
      });
      await sleep(LEAD_IN_MS);
      sink.setFailures({ latencyMs: HANG_MS });
      await sleep(HANG_PERIOD_MS);
      sink.setFailures({ latencyMs: 0 });
      const recoveredAt = Date.now();
      await producing;
      await scenario.drain({ queues, sink, expected: EVENTS, timeoutMs: 180_000 });
      const recoveryMs = Date.now() - recoveredAt;

      // Assess: no invocation ran into its timeout (which would redeliver whole batches); the hung
      // calls were abandoned at the deadline and their events retried; nothing lost
      const accounting = await scenario.account({ queues, sink, count: EVENTS });
      expect(runtime.kafkaEsm.stats.failedInvocations).toBe(0);
      expect(runtime.sqsEsm.stats.failedInvocations).toBe(0);
      expect(sink.stats.abandoned).toBeGreaterThan(0);
      expect(accounting.missing).toEqual([]);
      expect(accounting.deadLettered).toBe(0);
      writeReport('e2e-downstream-hang', {
        events: EVENTS,
        functionTimeoutSeconds: FUNCTION_TIMEOUT_SECONDS,
        hangSeconds: HANG_PERIOD_MS / 1_000,
        callsAbandonedAtDeadline: sink.stats.abandoned,
        consumerInvocations: runtime.kafkaEsm.stats.invocations,
        invocationsTimedOut:
          runtime.kafkaEsm.stats.failedInvocations + runtime.sqsEsm.stats.failedInvocations,
        recoverySeconds: recoveryMs / 1_000,
        delivered: accounting.delivered,
        missing: accounting.missing.length,
        duplicateDeliveries: accounting.duplicateDeliveries,
      });
    },
  );
});
