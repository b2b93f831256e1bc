import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { produceLoad } from '../../local/produce/load-generator.ts';
import { WebhookSink } from '../../local/sink/webhook-sink.ts';
import { accountForEvents, runIds, waitUntilDrained } from '../helpers/accounting.ts';
import { createTestTopic, runSettings, startIsolatedRuntime } from '../helpers/e2e-runtime.ts';
import { endpoints, localSqsClient, uniqueName } from '../helpers/local-stack.ts';
import { serviceOutage } from '../helpers/service-faults.ts';
import { writeReport } from './report.ts';

const EVENTS = 9_000;
const RATE_PER_SECOND = 200;
const DOWN_MS = 30_000;
/** ElasticMQ stops this long after production starts, with retries already on their way. */
const LEAD_IN_MS = 5_000;

const sqs = localSqsClient();
afterAll(() => sqs.destroy());

describe('ElasticMQ outage', () => {
  it('holds the stream while failures cannot be handed off for 30 s, then settles everything', async () => {
    // Prepare: one request in ten fails, so most batches have a retry to hand off
    const run = uniqueName('sqsdown');
    await createTestTopic(run);
    const settings = runSettings(run, {
      batchSize: 100,
      maxBatchingWindowSeconds: 0,
      reservedConcurrency: 4,
      maxAttempts: 8,
      backoffBaseSeconds: 1,
      backoffCapSeconds: 4,
      // Retry messages received just before the outage, whose deletes then failed, stay hidden for
      // the queue's visibility timeout (6 × this), as in SQS: keep it short so that the drain is.
      retryWorker: { concurrency: 3, timeoutSeconds: 10 },
    });
    const sink = new WebhookSink({ transientRate: 0.1 });
    const sinkUrl = await sink.start();
    const runtime = await startIsolatedRuntime(run, { settings, sinkUrl });
    try {
      // Act: produce for 45 s; ElasticMQ is down from 5 s to 35 s
      const producing = produceLoad({
        brokers: endpoints.kafkaBrokers,
        topic: run,
        count: EVENTS,
        ratePerSecond: RATE_PER_SECOND,
        runId: run,
        keyCardinality: 300,
        payloadBytes: 512,
        invalidShare: 0,
      });
      await sleep(LEAD_IN_MS);
      const deliveredAtStop = sink.deliveries.size;
      const outage = await serviceOutage('elasticmq', DOWN_MS, () => sink.deliveries.size);
      const deliveredWhileDown = outage.measured - deliveredAtStop;
      const restartedAt = Date.now();
      await producing;
      await waitUntilDrained({ sqs, ...runtime.queues, sink, expected: EVENTS, timeoutMs: 240_000 });
      const drainMs = Date.now() - restartedAt;

      // Assess: nothing lost; every retry handed off once SQS was back
      const accounting = await accountForEvents({
        sqs,
        dlqUrl: runtime.queues.dlqUrl,
        sink,
        ids: runIds(run, EVENTS),
      });
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
    } finally {
      await runtime.stop(10_000);
      await sink.stop();
    }
  });
});
