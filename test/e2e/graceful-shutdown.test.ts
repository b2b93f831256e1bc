import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { produceLoad } from '../../local/produce/load-generator.ts';
import { WebhookSink } from '../../local/sink/webhook-sink.ts';
import { accountForEvents, runIds, waitUntilDrained } from '../helpers/accounting.ts';
import { prepareCliRuntime } from '../helpers/cli-runtime.ts';
import { endpoints, localSqsClient, uniqueName } from '../helpers/local-stack.ts';
import { writeReport } from './report.ts';

const EVENTS = 10_000;
const RATE_PER_SECOND = 2_000;
const SHUTDOWN_LIMIT_MS = 45_000;

const sqs = localSqsClient();
afterAll(() => sqs.destroy());

const SETTINGS = {
  batchSize: 100,
  maxBatchingWindowSeconds: 0,
  reservedConcurrency: 4,
  maxAttempts: 4,
  backoffBaseSeconds: 1,
  backoffCapSeconds: 4,
  retryWorker: { concurrency: 3, timeoutSeconds: 30 },
};

describe('eventpipe start, stopped with signals', () => {
  it('loses nothing when SIGTERM arrives mid-stream and the runtime is restarted', async () => {
    // Prepare: the downstream lives in this process, so it outlives the runtime's restarts
    const run = uniqueName('shutdown');
    const runtime = await prepareCliRuntime(run, SETTINGS);
    const sink = new WebhookSink({ transientRate: 0.05 });
    const sinkUrl = await sink.start();
    try {
      const producing = produceLoad({
        brokers: endpoints.kafkaBrokers,
        topic: run,
        count: EVENTS,
        ratePerSecond: RATE_PER_SECOND,
        runId: run,
        keyCardinality: 200,
        payloadBytes: 512,
        invalidShare: 0,
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
      await waitUntilDrained({ sqs, ...runtime.queues, sink, expected: EVENTS, timeoutMs: 180_000 });
      const drainMs = Date.now() - drainAt;
      second.child.kill('SIGTERM');
      expect(await second.exited(SHUTDOWN_LIMIT_MS)).toBe(0);

      // Assess: every event delivered or dead-lettered; duplicates only counted
      const accounting = await accountForEvents({
        sqs,
        dlqUrl: runtime.queues.dlqUrl,
        sink,
        ids: runIds(run, EVENTS),
      });
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
    } finally {
      await sink.stop();
    }
  });

  it('exits at once with 130 on a second signal', async () => {
    const run = uniqueName('forced');
    const runtime = await prepareCliRuntime(run, SETTINGS);
    const sink = new WebhookSink({ latencyMs: 2_000 });
    const sinkUrl = await sink.start();
    try {
      await produceLoad({
        brokers: endpoints.kafkaBrokers,
        topic: run,
        count: 200,
        runId: run,
        keyCardinality: 50,
        payloadBytes: 256,
        invalidShare: 0,
      });
      const cli = await runtime.start(sinkUrl);
      await sleep(1_000); // invocations are now waiting on the slow downstream
      cli.child.kill('SIGINT');
      await cli.waitFor('stopping', 5_000);
      cli.child.kill('SIGINT');
      expect(await cli.exited(5_000)).toBe(130);
      expect(cli.output()).toContain('SIGINT again: exiting at once');
    } finally {
      await sink.stop();
    }
  });
});
