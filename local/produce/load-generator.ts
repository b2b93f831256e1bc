import { setTimeout as sleep } from 'node:timers/promises';
import { Producer } from '@platformatic/kafka';
import { type GeneratedEvent, type GeneratorOptions, generateEvent } from './event-generator.ts';

interface LoadOptions extends GeneratorOptions {
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly count: number;
  /** Events per second; unset or 0: as fast as the broker takes them. */
  readonly ratePerSecond?: number;
  readonly onProgress?: (sent: number) => void;
  readonly signal?: AbortSignal;
}

interface LoadSummary {
  readonly sent: number;
  readonly invalid: number;
  readonly durationMs: number;
  /** Invalid events by id, with the stage they must be dead-lettered at. */
  readonly invalidIds: ReadonlyMap<string, 'decode' | 'validate'>;
}

/** Messages per produce request: big enough for throughput, small enough for a smooth rate. */
const PRODUCE_CHUNK = 500;

/**
 * Produces `count` generated events (keyed, so each key stays in one partition) at an optional
 * rate, and says which were invalid. Stops early, cleanly, when `signal` aborts.
 *
 * @example
 * ```ts
 * const summary = await produceLoad({ brokers, topic: 'orders', count: 20_000, runId: 'e2e', keyCardinality: 300, payloadBytes: 512, invalidShare: 0.005 });
 * ```
 */
async function produceLoad(options: LoadOptions): Promise<LoadSummary> {
  const producer = new Producer({
    clientId: 'eventpipe-produce',
    bootstrapBrokers: [...options.brokers],
    acks: -1,
  });
  const invalidIds = new Map<string, 'decode' | 'validate'>();
  const started = Date.now();
  const chunk = options.ratePerSecond
    ? Math.max(1, Math.min(PRODUCE_CHUNK, Math.ceil(options.ratePerSecond / 10)))
    : PRODUCE_CHUNK;
  let sent = 0;
  try {
    while (sent < options.count && !options.signal?.aborted) {
      const events: GeneratedEvent[] = [];
      for (let i = sent; i < Math.min(options.count, sent + chunk); i++)
        events.push(generateEvent(i, options));
      await producer.send({
        messages: events.map((event) => ({
          topic: options.topic,
          key: Buffer.from(event.key),
          value: Buffer.from(event.value),
        })),
      });
      for (const event of events) if (event.expectedStage) invalidIds.set(event.id, event.expectedStage);
      sent += events.length;
      options.onProgress?.(sent);
      if (options.ratePerSecond) {
        const aheadMs = (sent / options.ratePerSecond) * 1_000 - (Date.now() - started);
        if (aheadMs > 0) await sleep(aheadMs, undefined, { signal: options.signal }).catch(() => undefined);
      }
    }
  } finally {
    await producer.close();
  }
  return { sent, invalid: invalidIds.size, durationMs: Date.now() - started, invalidIds };
}

export type { LoadOptions, LoadSummary };
export { produceLoad };
