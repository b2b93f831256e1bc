import { Producer } from '@platformatic/kafka';
import type { EventProducer, IngestRecord } from '../ingest/types.ts';
import type { KafkaConnectionOptions } from './kafka-connection.ts';

interface KafkaEventProducerOptions {
  /** Resolves the brokers on first use (configuration or MSK's API). */
  readonly brokers: () => Promise<readonly string[]>;
  readonly connection: () => Promise<KafkaConnectionOptions>;
  /** The pipeline's source topic. */
  readonly topic: string;
  /** The client's own per-request timeout and retries; the handler bounds the whole send too. */
  readonly requestTimeoutMs?: number;
  /** @default 'eventpipe-ingest' */
  readonly clientId?: string;
}

/** Producer retries inside one send: a broker restart or leader change is ridden out, an outage is not. */
const PRODUCE_RETRIES = 2;
const RETRY_DELAY_MS = 250;

/**
 * The {@link EventProducer} on `@platformatic/kafka`: an idempotent producer with `acks = all`
 * (-1), so an acknowledged record is on every in-sync replica and the client's own retries cannot
 * write it twice. Created on first use and kept for the container's life; after a failed send it
 * is closed and the next request builds a fresh one (a fresh connection, producer id and
 * sequence numbers).
 *
 * @example
 * ```ts
 * const producer = kafkaEventProducer({ brokers: async () => ['127.0.0.1:9092'], connection: async () => ({}), topic: 'orders' });
 * await producer.send([{ key: 'o-1', value: Buffer.from('{...}'), headers: { ce_id: 'e-1' } }]);
 * ```
 */
function kafkaEventProducer(options: KafkaEventProducerOptions): EventProducer {
  let producer: Promise<Producer> | undefined;
  const getProducer = () => {
    producer ??= createProducer(options).catch((error: unknown) => {
      producer = undefined;
      throw error;
    });
    return producer;
  };
  const discard = (failed: Promise<Producer>) => {
    if (producer === failed) producer = undefined;
    failed.then((client) => client.close(true)).catch(() => undefined);
  };
  return {
    async send(records: readonly IngestRecord[]): Promise<void> {
      const current = getProducer();
      try {
        await (await current).send({ messages: records.map((record) => toMessage(record, options.topic)) });
      } catch (error) {
        discard(current);
        throw error;
      }
    },
    async close(): Promise<void> {
      const current = producer;
      producer = undefined;
      if (current) await (await current).close();
    },
  };
}

async function createProducer(options: KafkaEventProducerOptions): Promise<Producer> {
  return new Producer({
    clientId: options.clientId ?? 'eventpipe-ingest',
    bootstrapBrokers: [...(await options.brokers())],
    acks: -1,
    idempotent: true,
    retries: PRODUCE_RETRIES,
    retryDelay: RETRY_DELAY_MS,
    ...(options.requestTimeoutMs === undefined ? {} : { timeout: options.requestTimeoutMs }),
    ...(await options.connection()),
  });
}

function toMessage(record: IngestRecord, topic: string) {
  return {
    topic,
    key: Buffer.from(record.key),
    value: record.value,
    headers: new Map<Buffer, Buffer>(
      Object.entries(record.headers).map(([name, value]) => [Buffer.from(name), Buffer.from(value)]),
    ),
  };
}

export type { KafkaEventProducerOptions };
export { kafkaEventProducer };
