import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect } from 'vitest';
import { scenarioTest } from '../helpers/e2e-scenario.ts';
import { serviceOutage } from '../helpers/service-faults.ts';
import { writeReport } from './report.ts';

const EVENTS = 9_000;
const RATE_PER_SECOND = 200;
const DOWN_MS = 30_000;
/** ElasticMQ stops this long after production starts, with retries already on their way. */
const LEAD_IN_MS = 5_000;

describe('ElasticMQ outage', () => {
  scenarioTest(
    'holds the stream while failures cannot be handed off for 30 s, then settles everything',
    async ({ scenario }) => {
      // Prepare: one request in ten fails, so most batches have a retry to hand off
      const { sink, queues } = await scenario.start({
        settings: {
          batchSize: 100,
          reservedConcurrency: 4,
          maxAttempts: 8,
          // Retry messages received just before the outage, whose deletes then failed, stay hidden for
          // the queue's visibility timeout (6 × this), as in SQS: keep it short so that the drain is.
          retryWorker: { timeoutSeconds: 10 },
        },
        sink: { transientRate: 0.1 },
      });
      // Act: produce for 45 s; ElasticMQ is down from 5 s to 35 s
      const producing = scenario.produce({ count: EVENTS, ratePerSecond: RATE_PER_SECOND });
      await sleep(LEAD_IN_MS);
      const deliveredAtStop = sink.deliveries.size;
      const outage = await serviceOutage('elasticmq', DOWN_MS, () => sink.deliveries.size);
      const deliveredWhileDown = outage.measured - deliveredAtStop;
      const restartedAt = Date.now();
      await producing;
      await scenario.drain({ queues, sink, expected: EVENTS, timeoutMs: 240_000 });
      const drainMs = Date.now() - restartedAt;

      // Assess: nothing lost; every retry handed off once SQS was back
      const accounting = await scenario.account({ queues, sink, count: EVENTS });
      expect(accounting.missing).toEqual([]);
      expect(accounting.deadLettered).toBe(0);
      writeReport('e2e-sqs-outage', {
        events: EVENTS,
        deliveredWhenSqsStopped: deliveredAtStop,
        sqsStopSeconds: outage.stopMs / 1_000,
        sqsDownSeconds: outage.downMs / 1_000,
        deliveredWhileDown,
        sqsStartSeconds: outage.startMs / 1_000,
        drainedAfterRestartSeconds: drainMs / 1_000,
        transientFailuresInjected: sink.transientFailedIds.size,
        delivered: accounting.delivered,
        missing: accounting.missing.length,
        duplicateDeliveries: accounting.duplicateDeliveries,
      });
    },
  );
});
