import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { produceLoad } from '../../local/produce/load-generator.ts';
import { WebhookSink } from '../../local/sink/webhook-sink.ts';
import { accountForEvents, keysOutOfOrder, runIds, waitUntilDrained } from '../helpers/accounting.ts';
import { createTestTopic, runSettings, startIsolatedRuntime } from '../helpers/e2e-runtime.ts';
import { endpoints, localSqsClient, uniqueName } from '../helpers/local-stack.ts';
import { writeReport } from './report.ts';

const EVENTS = 10_000;

const sqs = localSqsClient();
afterAll(() => sqs.destroy());

describe('two runtimes in one consumer group', () => {
  it('share the partitions, and the survivor takes over when one leaves mid-stream, losing nothing', async () => {
    // Prepare
    const run = uniqueName('rebalance');
    await createTestTopic(run);
    const settings = runSettings(run, {
      batchSize: 100,
      maxBatchingWindowSeconds: 0,
      reservedConcurrency: 3,
    });
    const sink = new WebhookSink({ latencyMs: 1 });
    const sinkUrl = await sink.start();
    const esmLog: string[] = [];
    const record = (line: string) => void esmLog.push(line);
    const logger = { info: record, warn: record, error: record };
    const start = () =>
      startIsolatedRuntime(run, {
        settings,
        sinkUrl,
        logger,
      });
    const first = await start();
    const second = await start();
    try {
      // Act: produce while both consume; stop one half-way
      const producing = produceLoad({
        brokers: endpoints.kafkaBrokers,
        topic: run,
        count: EVENTS,
        ratePerSecond: 2_000,
        runId: run,
        keyCardinality: 300,
        payloadBytes: 256,
        invalidShare: 0,
      });
      await sleep(2_500);
      const firstShare = first.kafkaEsm.stats.recordsCommitted;
      const secondShareBefore = second.kafkaEsm.stats.recordsCommitted;
      await first.stop(10_000);
      await producing;
      await waitUntilDrained({ sqs, ...second.queues, sink, expected: EVENTS, timeoutMs: 120_000 }).catch(
        (error: Error) => {
          const survivor = JSON.stringify(second.kafkaEsm.stats);
          throw new Error(
            `${error.message}; survivor ${survivor}; emulator log:\n${esmLog.slice(-30).join('\n')}`,
          );
        },
      );
      // Assess: both worked, the survivor rebalanced and finished, nothing is missing
      const ids = runIds(run, EVENTS);
      const accounting = await accountForEvents({
        sqs,
        dlqUrl: second.queues.dlqUrl,
        sink,
        ids,
      });
      expect(firstShare).toBeGreaterThan(0);
      expect(secondShareBefore).toBeGreaterThan(0);
      expect(second.kafkaEsm.stats.rebalances).toBeGreaterThanOrEqual(2);
      expect(accounting.missing).toEqual([]);
      expect(accounting.deadLettered).toBe(0);
      expect(keysOutOfOrder(sink, ids)).toEqual([]);
      writeReport('e2e-rebalance', {
        events: EVENTS,
        committedByFirstBeforeLeaving: firstShare,
        committedBySecondBeforeTakeover: secondShareBefore,
        rebalancesSeenBySurvivor: second.kafkaEsm.stats.rebalances,
        missing: accounting.missing.length,
        duplicateDeliveries: accounting.duplicateDeliveries,
      });
    } finally {
      await first.stop(10_000);
      await second.stop(10_000);
      await sink.stop();
    }
  });
});
