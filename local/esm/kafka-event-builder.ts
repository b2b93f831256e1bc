import type { KafkaEvent, KafkaRecord } from '#shared/pipeline/kafka-event.ts';

/** A fetched record as the emulator keeps it (the fields `@platformatic/kafka` messages carry). */
interface FetchedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
  readonly timestamp: bigint;
  readonly key: Buffer | undefined;
  readonly value: Buffer | undefined;
  readonly headers: Map<Buffer, Buffer>;
}

/**
 * The record exactly as Lambda's Kafka event source delivers it: base64 key (absent when the
 * producer set none) and value (null for a tombstone), headers as arrays of byte values.
 *
 * @example
 * ```ts
 * toLambdaRecord(message); // { topic, partition, offset, timestamp, timestampType, key, value, headers }
 * ```
 */
function toLambdaRecord(record: FetchedRecord): KafkaRecord {
  return {
    topic: record.topic,
    partition: record.partition,
    offset: Number(record.offset),
    timestamp: Number(record.timestamp),
    timestampType: 'CREATE_TIME',
    ...(record.key === undefined || record.key === null ? {} : { key: record.key.toString('base64') }),
    value: record.value === undefined || record.value === null ? null : record.value.toString('base64'),
    headers: [...record.headers].map(([name, value]) => ({ [name.toString('utf8')]: [...value] })),
  };
}

/** The self-managed Kafka event for one batch, `records` keyed `topic-partition`. */
function toKafkaEvent(records: readonly KafkaRecord[], bootstrapServers: readonly string[]): KafkaEvent {
  const grouped: Record<string, KafkaRecord[]> = {};
  for (const record of records) {
    const key = `${record.topic}-${record.partition}`;
    grouped[key] ??= [];
    grouped[key].push(record);
  }
  return { eventSource: 'SelfManagedKafka', bootstrapServers: bootstrapServers.join(','), records: grouped };
}

/** JSON field names, punctuation and numbers of one record, generously. */
const RECORD_JSON_OVERHEAD_BYTES = 160;

/**
 * The bytes a fetched record adds to the invoke payload, computed rather than serialized: base64
 * grows key and value by 4/3, each header byte becomes up to 4 characters (`255,`).
 */
function recordPayloadBytes(record: FetchedRecord): number {
  const base64 = (bytes: number) => Math.ceil(bytes / 3) * 4;
  let headers = 0;
  for (const [name, value] of record.headers) headers += name.length + 8 + value.length * 4;
  return (
    RECORD_JSON_OVERHEAD_BYTES + base64(record.key?.length ?? 0) + base64(record.value?.length ?? 0) + headers
  );
}

export type { FetchedRecord };
export { recordPayloadBytes, toKafkaEvent, toLambdaRecord };
