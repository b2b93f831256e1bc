import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { produceLoad } from '../../local/produce/load-generator.ts';
import { ensureTopic } from '../../local/provision.ts';
import { WebhookSink } from '../../local/sink/webhook-sink.ts';
import { accountForEvents, waitUntilDrained } from '../helpers/accounting.ts';
import { runCli } from '../helpers/cli-process.ts';
import { endpoints, localKafkaAdmin, localSqsClient, uniqueName } from '../helpers/local-stack.ts';
import { testMetricsFile } from '../helpers/metrics-file.ts';
import { writeReport } from './report.ts';

const EVENTS = 10_000;
const RATE_PER_SECOND = 2_000;
const SHUTDOWN_LIMIT_MS = 45_000;

const sqs = localSqsClient();
afterAll(() => sqs.destroy());

async function prepare(run: string) {
  const admin = localKafkaAdmin();
  await ensureTopic(admin, run, 6);
  await admin.close();
  const env = {
    EVENTPIPE_LOCAL_SETTINGS: JSON.stringify({
      topic: run,
      consumerGroupId: run,
      batchSize: 100,
      maxBatchingWindowSeconds: 0,
      reservedConcurrency: 4,
      maxAttempts: 4,
      backoffBaseSeconds: 1,
      backoffCapSeconds: 4,
      retryWorker: { concurrency: 3, timeoutSeconds: 30 },
    }),
  };
  const metricsFile = testMetricsFile();
  return {
    env,
    args: (sinkUrl: string) => [
      'start',
      '--sink-url',
      sinkUrl,
      '--queue-prefix',
      run,
      '--metrics-file',
      metricsFile,
    ],
  };
}

describe('eventpipe start, stopped with signals', () => {
  it('loses nothing when SIGTERM arrives mid-stream and the runtime is restarted', async () => {
    // Prepare: the downstream lives in this process, so it outlives the runtime's restarts
    const run = uniqueName('shutdown');
    const { env, args } = await prepare(run);
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
      const first = runCli(args(sinkUrl), env);
      await first.waitFor(`topic ${run}`, 60_000);
      await sleep(2_500);
      const deliveredBeforeStop = sink.deliveries.size;
      const stopAt = Date.now();
      first.child.kill('SIGTERM');
      expect(await first.exited(SHUTDOWN_LIMIT_MS)).toBe(0);
      const stopMs = Date.now() - stopAt;
      expect(first.output()).toContain('stopped cleanly');

      // Act 2: restart and let it drain everything
      const restartAt = Date.now();
      const second = runCli(args(sinkUrl), env);
      await second.waitFor(`topic ${run}`, 60_000);
      const restartMs = Date.now() - restartAt;
      await producing;
      const drainAt = Date.now();
      const queues = { retryQueueUrl: '', dlqUrl: '' };
      const urls = second.output().match(/retry queue (\S+)/);
      queues.retryQueueUrl = urls?.[1] ?? '';
      queues.dlqUrl = queues.retryQueueUrl.replace(/-retry$/, '-dlq');
      await waitUntilDrained({ sqs, ...queues, sink, expected: EVENTS, timeoutMs: 180_000 });
      const drainMs = Date.now() - drainAt;
      second.child.kill('SIGTERM');
      expect(await second.exited(SHUTDOWN_LIMIT_MS)).toBe(0);

      // Assess: every event delivered or dead-lettered; duplicates only counted
      const ids = Array.from({ length: EVENTS }, (_, i) => `${run}-${i}`);
      const accounting = await accountForEvents({
        sqs,
        dlqUrl: queues.dlqUrl,
        sink,
        ids,
        invalidIds: new Map(),
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
    const { env, args } = await prepare(run);
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
      const cli = runCli(args(sinkUrl), env);
      await cli.waitFor(`topic ${run}`, 60_000);
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
