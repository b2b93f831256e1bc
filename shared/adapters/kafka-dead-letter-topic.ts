import type { Producer } from '@platformatic/kafka';
import { kafkaDlqTopic } from '../config/pipeline-settings.ts';
import type { DeadLetter } from '../pipeline/messages.ts';
import type { DeadLetterQueue, LetterOrigin } from '../pipeline/ports.ts';
import {
  KAFKA_DLQ_NOT_BUNDLED,
  type KafkaConnectionOptions,
  type KafkaDlqBundleFlag,
} from './kafka-connection.ts';

const MAX_HEADER_MESSAGE_CHARS = 512;

interface KafkaDeadLetterTopicOptions {
  /**
   * Resolves the brokers on first use, given the brokers of the hand-off's event (none for the
   * retry worker): see `resolveKafkaBrokers`.
   */
  readonly brokers: (eventBrokers: readonly string[]) => Promise<readonly string[]>;
  readonly connection: () => Promise<KafkaConnectionOptions>;
  /** Fixed topic; by default `<source topic>.dlq`. */
  readonly topic?: string;
}

/**
 * A dead-letter target that produces to a Kafka topic, Kafka Connect style: the original key, the
 * dead letter as the value, and the coordinates and failure as `eventpipe-*` headers. The producer
 * is created on first use and reused for the life of the container (`acks=all`).
 *
 * @example
 * ```ts
 * const dlqTopic = kafkaDeadLetterTopic({ brokers: async () => ['b-1:9098'], connection: () => kafkaConnectionOptions(config) });
 * ```
 */
function kafkaDeadLetterTopic(
  options: KafkaDeadLetterTopicOptions,
): DeadLetterQueue & { close(): Promise<void> } {
  let producer: Promise<Producer> | undefined;
  const getProducer = (eventBrokers: readonly string[]) => {
    producer ??= createProducer(options, eventBrokers).catch((error: unknown) => {
      producer = undefined; // Let the next batch try again.
      throw error;
    });
    return producer;
  };
  return {
    async send(letters: readonly DeadLetter[], origin?: LetterOrigin): Promise<void> {
      const client = await getProducer(origin?.brokers ?? []);
      await client.send({ messages: letters.map((letter) => toKafkaMessage(letter, options.topic)) });
    },
    async close(): Promise<void> {
      if (producer) await (await producer).close();
    },
  };
}

async function createProducer(
  options: KafkaDeadLetterTopicOptions,
  eventBrokers: readonly string[],
): Promise<Producer> {
  const { Producer: KafkaProducer } = await loadKafkaClient();
  return new KafkaProducer({
    clientId: 'eventpipe-dlq',
    bootstrapBrokers: [...(await options.brokers(eventBrokers))],
    acks: -1,
    ...(await options.connection()),
  });
}

/**
 * The condition is written out here, not imported, and the import() sits inside its branch:
 * esbuild leaves an import() out of the bundle only when its `define` folds the branch around it
 * to dead code in the same file ({@link KafkaDlqBundleFlag}).
 */
function loadKafkaClient(): Promise<typeof import('@platformatic/kafka')> {
  if ((globalThis as KafkaDlqBundleFlag).EVENTPIPE_BUNDLE_KAFKA_DLQ !== false) {
    return import('@platformatic/kafka');
  }
  return Promise.reject(new Error(KAFKA_DLQ_NOT_BUNDLED));
}

function toKafkaMessage(letter: DeadLetter, fixedTopic: string | undefined) {
  const { source, failure } = letter;
  return {
    topic: kafkaDlqTopic({ topic: source.topic, dlqTopic: fixedTopic }),
    key: source.keyBase64 === null ? undefined : Buffer.from(source.keyBase64, 'base64'),
    value: Buffer.from(JSON.stringify(letter)),
    headers: new Map<Buffer, Buffer>(
      Object.entries({
        'eventpipe-original-topic': source.topic,
        'eventpipe-original-partition': String(source.partition),
        'eventpipe-original-offset': String(source.offset),
        'eventpipe-original-timestamp': String(source.timestamp),
        'eventpipe-stage': failure.stage,
        'eventpipe-error-name': failure.errorName,
        'eventpipe-error-message': failure.message.slice(0, MAX_HEADER_MESSAGE_CHARS),
        'eventpipe-attempts': String(failure.attempts),
        'eventpipe-event-type': letter.event?.type ?? 'unknown',
      }).map(([name, value]) => [Buffer.from(name), Buffer.from(value)]),
    ),
  };
}

export { kafkaDeadLetterTopic, toKafkaMessage };
