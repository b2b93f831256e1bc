import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect } from 'vitest';
import { produceViaHttp } from '../../local/produce/http-load-generator.ts';
import { accountForEvents, waitUntilDrained } from '../helpers/accounting.ts';
import { FAST_RETRIES, scenarioTest } from '../helpers/e2e-scenario.ts';
import { KafkaFaultProxy } from '../helpers/kafka-fault-proxy.ts';
import { endpoints } from '../helpers/local-stack.ts';
import { writeReport } from './report.ts';

const TOKEN = 'e2e-front-door-token';

/** Statuses as a plain object for assertions and reports, e.g. `{ 202: 180, 429: 120 }`. */
function statuses(byStatus: ReadonlyMap<number, number>): Record<string, number> {
  return Object.fromEntries([...byStatus].sort(([a], [b]) => a - b).map(([status, n]) => [status, n]));
}

/** Waits until every accepted event is delivered or dead-lettered, then accounts for each of them. */
async function drainAndAccount(
  scenario: { readonly sqs: Parameters<typeof waitUntilDrained>[0]['sqs'] },
  runtime: { readonly queues: { retryQueueUrl: string; dlqUrl: string } },
  sink: Parameters<typeof waitUntilDrained>[0]['sink'],
  accepted: readonly string[],
) {
  await waitUntilDrained({
    sqs: scenario.sqs,
    ...runtime.queues,
    sink,
    expected: accepted.length,
    timeoutMs: 180_000,
  });
  return accountForEvents({ sqs: scenario.sqs, dlqUrl: runtime.queues.dlqUrl, sink, ids: accepted });
}

describe('HTTP front door', () => {
  scenarioTest(
    'refuses load above the configured rate with 429s and loses no event it answered 202 for',
    async ({ scenario }) => {
      // Prepare: 5 requests/s with a burst of 5 at the door (below what the door serves even on a busy machine); the sink fails 2 % transiently
      await scenario.createTopic();
      const settings = scenario.settings({
        batchSize: 100,
        reservedConcurrency: 4,
        ...FAST_RETRIES,
        ingest: { throttling: { rateLimit: 5, burstLimit: 5 }, reservedConcurrency: 8 },
      });
      const { sink, sinkUrl } = await scenario.startSink({ transientRate: 0.02 });
      const runtime = await scenario.startRuntime({
        settings,
        sinkUrl,
        frontDoor: { bearerToken: TOKEN, port: 0 },
      });
      const door = runtime.frontDoor;
      if (!door) throw new Error('the runtime did not start the front door');

      // Act: 300 requests of 10 events, up to 100 requests/s (twenty times the rate), 1 % invalid events
      const sent = await produceViaHttp({
        url: door.url,
        bearerToken: TOKEN,
        count: 3_000,
        batchSize: 10,
        concurrency: 8,
        ratePerSecond: 1_000,
        runId: scenario.run,
        keyCardinality: 300,
        payloadBytes: 512,
        invalidShare: 0.01,
      });
      const accepted = [...sent.acceptedIds];
      const accounting = await drainAndAccount(scenario, runtime, sink, accepted);

      // Assess: a share refused at the door, every 202 event delivered or dead-lettered, nothing else landed
      const byStatus = statuses(sent.byStatus);
      expect(byStatus['429'], JSON.stringify(byStatus)).toBeGreaterThan(0);
      expect(byStatus['202']).toBeGreaterThan(0);
      expect(Object.keys(byStatus).filter((status) => !['202', '400', '429'].includes(status))).toEqual([]);
      expect(accounting.missing).toEqual([]);
      expect(accounting.wrongStage).toEqual([]);
      // An event refused at the door never reached Kafka.
      expect([...sink.deliveries.keys()].filter((id) => !sent.acceptedIds.has(id))).toEqual([]);
      expect(door.stats.ingested).toBe(accepted.length);
      writeReport('e2e-http-ingest-throttled', {
        requests: sent.requests,
        byStatus,
        eventsSent: 3_000,
        eventsAccepted: accepted.length,
        eventsRefusedInvalid: sent.refusedIds.size,
        delivered: accounting.delivered,
        deadLettered: accounting.deadLettered,
        lost: accounting.missing.length,
        duplicateDeliveries: accounting.duplicateDeliveries,
        seconds: sent.durationMs / 1_000,
      });
    },
  );

  scenarioTest(
    'answers 503 while Kafka is unreachable and loses nothing it acknowledged',
    async ({ scenario }) => {
      // Prepare: the ingest function produces through a proxy the test cuts (the broker stays up)
      await scenario.createTopic();
      const proxy = await KafkaFaultProxy.start(endpoints.kafkaBrokers[0] as string);
      try {
        const settings = scenario.settings({
          batchSize: 100,
          reservedConcurrency: 4,
          ...FAST_RETRIES,
          ingest: {
            throttling: { rateLimit: 1_000, burstLimit: 500 },
            reservedConcurrency: 8,
            produceTimeoutMs: 2_000,
            retryAfterSeconds: 1,
          },
        });
        const { sink, sinkUrl } = await scenario.startSink();
        const runtime = await scenario.startRuntime({
          settings,
          sinkUrl,
          frontDoor: { bearerToken: TOKEN, port: 0, brokers: [proxy.address] },
        });
        const door = runtime.frontDoor;
        if (!door) throw new Error('the runtime did not start the front door');

        // Act: 3,000 events at 200/s (15 s); the broker is unreachable from 4 s to 10 s
        const sending = produceViaHttp({
          url: door.url,
          bearerToken: TOKEN,
          count: 3_000,
          batchSize: 10,
          concurrency: 4,
          ratePerSecond: 200,
          runId: scenario.run,
          keyCardinality: 300,
          payloadBytes: 512,
          invalidShare: 0,
        });
        await sleep(4_000);
        await proxy.cut();
        await sleep(6_000);
        await proxy.restore();
        const sent = await sending;
        const accepted = [...sent.acceptedIds];
        const accounting = await drainAndAccount(scenario, runtime, sink, accepted);

        // Assess: 503s during the cut, 202s before and after, every acknowledged event delivered
        const byStatus = statuses(sent.byStatus);
        expect(byStatus['503']).toBeGreaterThan(0);
        expect(byStatus['202']).toBeGreaterThan(0);
        expect(accounting.missing).toEqual([]);
        expect(accounting.deadLettered).toBe(0);
        const landedAfter503 = [...sink.deliveries.keys()].filter((id) => !sent.acceptedIds.has(id)).length;
        writeReport('e2e-http-ingest-kafka-unreachable', {
          requests: sent.requests,
          byStatus,
          eventsSent: 3_000,
          eventsAccepted: accepted.length,
          delivered: accounting.delivered,
          lost: accounting.missing.length,
          // Refused with 503 but written anyway (the acknowledgement came after the timeout): the
          // caller's retry would duplicate them; never a loss.
          landedAfter503,
          duplicateDeliveries: accounting.duplicateDeliveries,
          seconds: sent.durationMs / 1_000,
        });
      } finally {
        await proxy.stop();
      }
    },
  );
});
