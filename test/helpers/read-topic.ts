import { Consumer, MessagesStreamModes, stringDeserializers } from '@platformatic/kafka';
import { endpoints, uniqueName } from './local-stack.ts';

/** One message of a topic, as text. */
interface TopicMessage {
  readonly key: string;
  readonly value: string;
  readonly headers: Record<string, string>;
}

/**
 * Reads the first `count` messages of a topic on the local broker, from the earliest offset, with a
 * group of its own (nothing committed).
 *
 * @example
 * ```ts
 * const [message] = await readTopic(topic, 1);
 * ```
 */
async function readTopic(topic: string, count: number): Promise<TopicMessage[]> {
  const reader = new Consumer({
    groupId: uniqueName('topic-reader'),
    clientId: 'topic-reader',
    bootstrapBrokers: endpoints.kafkaBrokers,
    deserializers: stringDeserializers,
  });
  const stream = await reader.consume({
    topics: [topic],
    mode: MessagesStreamModes.EARLIEST,
    autocommit: false,
  });
  const received: TopicMessage[] = [];
  try {
    for await (const message of stream) {
      received.push({ key: message.key, value: message.value, headers: Object.fromEntries(message.headers) });
      if (received.length === count) break;
    }
  } finally {
    await stream.close();
    await reader.close();
  }
  return received;
}

export type { TopicMessage };
export { readTopic };
