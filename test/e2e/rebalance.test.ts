import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect } from 'vitest';
import { keysOutOfOrder, runIds } from '../helpers/accounting.ts';
import { scenarioTest } from '../helpers/e2e-scenario.ts';
import { writeReport } from './report.ts';

const EVENTS = 10_000;

describe('two runtimes in one consumer group', () => {
  scenarioTest(
    'share the partitions, and the survivor takes over when one leaves mid-stream, losing nothing',
    async ({ scenario }) => {
      // Prepare
      const esmLog: string[] = [];
      const record = (line: string) => void esmLog.push(line);
      const logger = { info: record, warn: record, error: record };
      const {
        sink,
        sinkUrl,
        settings,
        runtime: first,
      } = await scenario.start({
        settings: { batchSize: 100, reservedConcurrency: 3 },
        sink: { latencyMs: 1 },
        logger,
      });
      const second = await scenario.startRuntime({ settings, sinkUrl, logger });
      // Act: produce while both consume; stop one half-way
      const producing = scenario.produce({ count: EVENTS, ratePerSecond: 2_000, payloadBytes: 256 });
      await sleep(2_500);
      const firstShare = first.kafkaEsm.stats.recordsCommitted;
      const secondShareBefore = second.kafkaEsm.stats.recordsCommitted;
      await first.stop(10_000);
      await producing;
      await scenario
        .drain({ queues: second.queues, sink, expected: EVENTS, timeoutMs: 120_000 })
        .catch((error: Error) => {
          const survivor = JSON.stringify(second.kafkaEsm.stats);
          throw new Error(
            `${error.message}; survivor ${survivor}; emulator log:\n${esmLog.slice(-30).join('\n')}`,
          );
        });
      // Assess: both worked, the survivor rebalanced and finished, nothing is missing
      const ids = runIds(scenario.run, EVENTS);
      const accounting = await scenario.account({ queues: second.queues, sink, count: EVENTS });
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
    },
  );
});
