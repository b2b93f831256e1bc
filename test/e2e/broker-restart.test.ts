import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect } from 'vitest';
import { scenarioTest } from '../helpers/e2e-scenario.ts';
import { serviceOutage } from '../helpers/service-faults.ts';
import { writeReport } from './report.ts';

const EVENTS = 12_000;
/** Slows the downstream so that consumption is still going when the broker stops. */
const SINK_LATENCY_MS = 15;
const DOWN_MS = 10_000;

async function waitUntil(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what}: not seen within ${timeoutMs} ms`);
    await sleep(100);
  }
}

describe('Kafka broker restart', () => {
  scenarioTest(
    'resumes after the broker is stopped and restarted mid-stream, and loses nothing',
    async ({ scenario }) => {
      // Prepare: the whole stream is on the topic before the runtime starts consuming it
      await scenario.createTopic();
      await scenario.produce({ count: EVENTS });
      const { sink, runtime, queues } = await scenario.start({
        settings: { batchSize: 100, reservedConcurrency: 4, maxAttempts: 6 },
        sink: { transientRate: 0.05, latencyMs: SINK_LATENCY_MS },
        logger: console, // warnings show only on failure
      });
      // Act: let it consume, stop the broker for 10 s, start it again
      await waitUntil(() => sink.deliveries.size >= EVENTS / 6, 60_000, 'consuming before the stop');
      const deliveredAtStop = sink.deliveries.size;
      const outage = await serviceOutage('kafka', DOWN_MS, () => sink.deliveries.size);
      const deliveredWhileDown = outage.measured - deliveredAtStop;
      const restartedAt = Date.now();
      const firstDeliveryAfter = sink.deliveries.size;
      await waitUntil(
        () => sink.deliveries.size > firstDeliveryAfter,
        120_000,
        'consumption resumed after the restart',
      );
      const resumedMs = Date.now() - restartedAt;
      await scenario.drain({ queues, sink, expected: EVENTS, timeoutMs: 240_000 });
      const drainMs = Date.now() - restartedAt;

      // Assess
      const accounting = await scenario.account({ queues, sink, count: EVENTS });
      expect(accounting.missing).toEqual([]);
      expect(accounting.deadLettered).toBe(0);
      expect(runtime.kafkaEsm.stats.reconnects).toBeGreaterThan(0);
      expect(deliveredAtStop).toBeLessThan(EVENTS / 2);
      writeReport('e2e-broker-restart', {
        events: EVENTS,
        deliveredWhenBrokerStopped: deliveredAtStop,
        brokerStopSeconds: outage.stopMs / 1_000,
        brokerDownSeconds: DOWN_MS / 1_000,
        deliveredWhileDown: deliveredWhileDown,
        brokerStartSeconds: outage.startMs / 1_000,
        consumptionResumedSeconds: resumedMs / 1_000,
        drainedAfterRestartSeconds: drainMs / 1_000,
        consumerReconnects: runtime.kafkaEsm.stats.reconnects,
        delivered: accounting.delivered,
        missing: accounting.missing.length,
        duplicateDeliveries: accounting.duplicateDeliveries,
      });
    },
  );
});
