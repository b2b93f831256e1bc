import { defineRegistry } from 'eventpipe';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { eventTypes } from '#shared/events/index.ts';
import { DeadLetterSchema } from '#shared/pipeline/messages.ts';
import type { EmfBlob } from '../../../local/observability/emf-file-metrics.ts';
import { WebhookSink } from '../../../local/sink/webhook-sink.ts';
import { stockAdjusted, stockLevels } from '../../fixtures/custom-event-type/stock-adjusted.ts';
import { createTestTopic, runSettings, startIsolatedRuntime } from '../../helpers/e2e-runtime.ts';
import { localSqsClient, produceMessages, uniqueName } from '../../helpers/local-stack.ts';
import { receiveMessages } from '../../helpers/queues.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A local runtime on a topic and queues of its own, with a sink for the routed types; stopped after the test. */
async function startRun(
  options: Omit<Parameters<typeof startIsolatedRuntime>[1], 'settings'> & {
    settings?: Parameters<typeof runSettings>[1];
    sink?: ConstructorParameters<typeof WebhookSink>[0];
  },
) {
  const run = uniqueName('runtime');
  await createTestTopic(run, 2);
  const sink = new WebhookSink(options.sink);
  const sinkUrl = await sink.start();
  cleanups.push(() => sink.stop());
  const runtime = await startIsolatedRuntime(run, {
    ...options,
    settings: runSettings(run, { maxBatchingWindowSeconds: 0, ...options.settings }),
    sinkUrl,
  });
  cleanups.push(() => runtime.stop(10_000));
  return { run, sink, runtime };
}

/** Produces CloudEvents envelopes, keyed by their id. */
function produce(topic: string, events: readonly { id: string; type: string; data: unknown }[]) {
  return produceMessages(
    events.map((event) => ({
      topic,
      key: Buffer.from(event.id),
      value: Buffer.from(JSON.stringify({ specversion: '1.0', source: '/tests/runtime', ...event })),
    })),
  );
}

/** What `eventpipe start` wires, minus the terminal: the real broker, ElasticMQ, the emulators. */
describe('LocalRuntime', () => {
  it('runs a custom event type with an in-code processor: one new file, one registry line', async () => {
    // Prepare: the README's example file and its one line, next to the types routed to the sink
    const registry = defineRegistry({ ...eventTypes, 'stock.adjusted': stockAdjusted });
    const { run, sink, runtime } = await startRun({ registry });
    const sqs = localSqsClient();
    cleanups.push(async () => sqs.destroy());
    // Act
    await produce(run, [
      { id: `${run}-1`, type: 'stock.adjusted', data: { sku: 'SKU-A', delta: 5 } },
      { id: `${run}-2`, type: 'stock.adjusted', data: { sku: 'SKU-A', delta: -3 } },
      { id: `${run}-3`, type: 'stock.adjusted', data: { sku: 'SKU-B', delta: -1 } },
      {
        id: `${run}-4`,
        type: 'order.placed',
        data: {
          orderId: 'o-1',
          customerId: 'c-1',
          currency: 'EUR',
          items: [{ sku: 'SKU-A', quantity: 2, unitPrice: 9.99 }],
          total: 19.98,
        },
      },
    ]);
    // Assess: the processor ran in the function (SKU-A: 5 − 3), refused SKU-B with a
    // PermanentError that went straight to the DLQ, and the built-in type still went to its route
    await vi.waitFor(() => expect(stockLevels.get('SKU-A')).toBe(2), { timeout: 30_000, interval: 200 });
    await vi.waitFor(() => expect(sink.deliveries.has(`${run}-4`)).toBe(true), { timeout: 30_000 });
    const [letter] = await receiveMessages(sqs, runtime.queues.dlqUrl, 1, 30_000);
    expect(DeadLetterSchema.parse(JSON.parse(letter?.Body ?? '')).failure).toMatchObject({
      stage: 'process',
      errorName: 'PermanentError',
      message: 'SKU-B: adjusting by -1 would leave -1 in stock',
    });
    expect(stockLevels.has('SKU-B')).toBe(false);
    expect(sink.deliveries.has(`${run}-1`)).toBe(false);
  });

  it("gives each function its own circuit breaker, as Lambda's separate containers do", async () => {
    // Prepare: a downstream that fails everything; circuits open after 3 failed calls
    const blobs: EmfBlob[] = [];
    const { run, sink } = await startRun({
      sink: { transientRate: 1 },
      settings: {
        backoffBaseSeconds: 1,
        backoffCapSeconds: 2,
        maxAttempts: 10,
        circuitBreaker: { failureThreshold: 3, openSeconds: 60 },
      },
      onMetrics: (blob) => blobs.push(blob),
    });
    // Act: the consumer's failures open its circuit; its retries reach the worker
    await produce(
      run,
      Array.from({ length: 12 }, (_, i) => ({
        id: `${run}-${i}`,
        type: 'payment.captured',
        data: {
          paymentId: `p-${i}`,
          orderId: `o-${i}`,
          amount: 10,
          currency: 'EUR',
          method: 'card',
          capturedAt: '2026-11-27T12:00:00Z',
        },
      })),
    );
    // Assess: each function opened a circuit of its own (the `CircuitOpened` metric, as on
    // Lambda); with one breaker shared, the worker's calls would all be short-circuited instead
    const openedBy = () =>
      new Set(blobs.filter((blob) => 'CircuitOpened' in blob).map((blob) => String(blob.function)));
    await vi.waitFor(() => expect(openedBy()).toEqual(new Set(['kafka-consumer', 'retry-worker'])), {
      timeout: 45_000,
      interval: 250,
    });
    // Each breaker let its threshold through before opening: 3 calls each, not 3 in all
    expect(sink.stats.requests).toBeGreaterThanOrEqual(6);
  });
});
