import { Producer } from '@platformatic/kafka';
import type { EventProducer, IngestRecord } from '../ingest/types.ts';
import { chunkBySize } from './chunk-by-size.ts';
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

/**
 * The most record bytes (values, keys, headers) in one produce request. A broker refuses a record
 * batch larger than its `message.max.bytes` (1 MiB by default, and on MSK;
 * https://kafka.apache.org/documentation/#brokerconfigs_message.max.bytes), and a batch request
 * of many events to one partition would be one such record batch: the refusal would repeat on
 * every retry. Requests are split below it; a record larger than this goes alone.
 */
const MAX_PRODUCE_REQUEST_BYTES = 512 * 1024;

/** Producer retries inside one send: a broker restart or leader change is ridden out, an outage is not. */
const PRODUCE_RETRIES = 2;
const RETRY_DELAY_MS = 250;

/**
 * The {@link EventProducer} on `@platformatic/kafka`: an idempotent producer with `acks = all`
 * (-1), so an acknowledged record is on every in-sync replica and the client's own retries cannot
 * write it twice. Created on first use and kept for the container's life; after a failed send it
 * is closed and the next request builds a fresh one (a fresh connection, producer id and
 * sequence numbers). A large batch goes out as several requests ({@link MAX_PRODUCE_REQUEST_BYTES}).
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
        const client = await current;
        // One request after the other: the idempotent producer keeps each partition's order.
        for (const chunk of chunksOf(records, MAX_PRODUCE_REQUEST_BYTES)) {
          await client.send({ messages: chunk.map((record) => toMessage(record, options.topic)) });
        }
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

/** Consecutive groups of records whose bytes stay within `maxBytes` (a larger record alone). */
function chunksOf(records: readonly IngestRecord[], maxBytes: number): IngestRecord[][] {
  return chunkBySize(records, recordBytes, maxBytes);
}

function recordBytes(record: IngestRecord): number {
  let bytes = record.value.length + Buffer.byteLength(record.key);
  for (const [name, value] of Object.entries(record.headers))
    bytes += Buffer.byteLength(name) + Buffer.byteLength(value);
  return bytes;
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
export { chunksOf, kafkaEventProducer, MAX_PRODUCE_REQUEST_BYTES };
