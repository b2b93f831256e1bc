import { describe, expect } from 'vitest';
import { redrive } from '../../local/dlq/redrive.ts';
import { keysOutOfOrder, runIds } from '../helpers/accounting.ts';
import { scenarioTest } from '../helpers/e2e-scenario.ts';
import { writeReport } from './report.ts';

const EVENTS = 20_000;
const PARTITIONS = 6;
const KEYS = 300;
const TRANSIENT_RATE = 0.05;
const PERMANENT_RATE = 0.01;
const INVALID_SHARE = 0.005;
const DRAIN_TIMEOUT_MS = 300_000;

describe('local runtime end to end', () => {
  scenarioTest(
    'accounts for every one of 20,000 events under injected failures, then redrives the DLQ',
    async ({ scenario }) => {
      // Prepare: a topic, group and queues of this run alone; settings from cdk.json with fast retries
      const { run, sqs } = scenario;
      const { sink, runtime, queues, settings } = await scenario.start({
        settings: { batchSize: 200, reservedConcurrency: 6, maxAttempts: 4, retryWorker: { concurrency: 5 } },
        sink: { transientRate: TRANSIENT_RATE, permanentRate: PERMANENT_RATE },
        partitions: PARTITIONS,
      });
      // Act 1: produce and let the pipeline drain
      const started = Date.now();
      const produced = await scenario.produce({
        count: EVENTS,
        keyCardinality: KEYS,
        invalidShare: INVALID_SHARE,
      });
      await scenario.drain({ queues, sink, expected: EVENTS, timeoutMs: DRAIN_TIMEOUT_MS });
      const drainedMs = Date.now() - started;
      const ids = runIds(run, EVENTS);
      const accounting = await scenario.account({
        queues,
        sink,
        count: EVENTS,
        invalidIds: produced.invalidIds,
      });
      const outOfOrder = keysOutOfOrder(sink, ids);

      // Assess 1: nothing missing, every dead letter at the right stage, per-key order kept
      expect(accounting.missing).toEqual([]);
      expect(accounting.wrongStage).toEqual([]);
      expect(outOfOrder).toEqual([]);
      expect(runtime.kafkaEsm.stats.maxInFlight).toBeLessThanOrEqual(settings.reservedConcurrency);
      const permanentIds = ids.filter(
        (id) => !produced.invalidIds.has(id) && accounting.letters.some((l) => l.event?.id === id),
      );
      expect(accounting.deadLettered).toBe(produced.invalid + permanentIds.length);

      // Act 2: the downstream is fixed; redrive everything (an SQS message move task)
      sink.setFailures({ transientRate: 0, permanentRate: 0 });
      const moved = await redrive({ sqs, ...runtime.queues, rate: 500 });
      await scenario.drain({ queues, sink, expected: EVENTS, timeoutMs: DRAIN_TIMEOUT_MS });
      const afterRedrive = await scenario.account({
        queues,
        sink,
        count: EVENTS,
        invalidIds: produced.invalidIds,
      });

      // Assess 2: the redriven process-stage letters were delivered; invalid events are back in the DLQ.
      // (ElasticMQ's move task keeps moving letters that come back until it is cancelled, so a
      // returning invalid letter may be redriven twice before the CLI stops the task.)
      expect(moved.moved).toBeGreaterThanOrEqual(accounting.deadLettered);
      for (const id of permanentIds) expect(sink.deliveries.has(id)).toBe(true);
      expect(afterRedrive.missing).toEqual([]);
      expect(afterRedrive.letters).toHaveLength(produced.invalid);
      for (const letter of afterRedrive.letters)
        expect(letter.failure.redriveCount).toBeGreaterThanOrEqual(1);

      writeReport('e2e-accounting', {
        events: EVENTS,
        partitions: PARTITIONS,
        keys: KEYS,
        injected: {
          transientRate: TRANSIENT_RATE,
          permanentRate: PERMANENT_RATE,
          invalidShare: INVALID_SHARE,
        },
        drainedSeconds: drainedMs / 1_000,
        eventsPerSecond: Math.round(EVENTS / (drainedMs / 1_000)),
        delivered: accounting.delivered,
        deadLettered: accounting.deadLettered,
        invalid: produced.invalid,
        rejectedByDownstream: permanentIds.length,
        missing: accounting.missing.length,
        duplicateDeliveries: accounting.duplicateDeliveries,
        deliveredAndDead: accounting.deliveredAndDead,
        transientFailuresInjected: sink.stats.transientFailures,
        keysOutOfOrder: outOfOrder.length,
        maxInFlight: runtime.kafkaEsm.stats.maxInFlight,
        reservedConcurrency: settings.reservedConcurrency,
        fetchPauses: runtime.kafkaEsm.stats.pauses,
        redriven: moved.moved,
        deliveredAfterRedrive: permanentIds.length,
        invalidBackInDlq: afterRedrive.letters.length,
      });
    },
  );
});
