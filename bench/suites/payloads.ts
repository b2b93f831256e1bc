import type { KafkaEvent, KafkaRecord } from '#shared/pipeline/kafka-event.ts';
import { generateEvent } from '../../local/produce/event-generator.ts';

/**
 * `count` Lambda-shaped Kafka records of valid events of about `payloadBytes` each, over 6
 * partitions and 100 keys, built once so that benchmarks measure processing, not setup.
 */
function benchRecords(count: number, payloadBytes: number): KafkaRecord[] {
  return Array.from({ length: count }, (_, i) => {
    const event = generateEvent(i, { runId: 'bench', keyCardinality: 100, payloadBytes, invalidShare: 0 });
    return {
      topic: 'bench',
      partition: i % 6,
      offset: Math.floor(i / 6),
      timestamp: Date.now(),
      timestampType: 'CREATE_TIME',
      key: Buffer.from(event.key).toString('base64'),
      value: Buffer.from(event.value).toString('base64'),
      headers: [],
    };
  });
}

/** The MSK event Lambda would deliver for these records. */
function benchEvent(records: readonly KafkaRecord[]): KafkaEvent {
  const grouped: Record<string, KafkaRecord[]> = {};
  for (const record of records) {
    const key = `${record.topic}-${record.partition}`;
    grouped[key] ??= [];
    grouped[key].push(record);
  }
  return { eventSource: 'aws:kafka', bootstrapServers: '127.0.0.1:9092', records: grouped };
}

export { benchEvent, benchRecords };
