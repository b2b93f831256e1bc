import type { MSKEvent, SelfManagedKafkaEvent } from 'aws-lambda';
import type { DeploymentSettings } from '#shared/config/deployment-settings.ts';
import type { KafkaEvent, KafkaRecord } from '#shared/pipeline/kafka-event.ts';

/** Kafka's two timestamp types, as Lambda names them (Java's `TimestampType.name`). */
const TimestampType = {
  CREATE_TIME: 'CREATE_TIME',
  LOG_APPEND_TIME: 'LOG_APPEND_TIME',
} as const;
type TimestampType = (typeof TimestampType)[keyof typeof TimestampType];

/** A fetched record as the emulator keeps it (the fields `@platformatic/kafka` messages carry). */
interface FetchedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
  readonly timestamp: bigint;
  readonly timestampType: TimestampType;
  readonly key: Buffer | undefined;
  readonly value: Buffer | undefined;
  /** A header without a value (Kafka allows it: `kcat -H name`) arrives as `undefined`. */
  readonly headers: ReadonlyMap<Buffer, Buffer | undefined>;
}

/**
 * Which event source Lambda says the records came from. MSK: `aws:kafka` with the cluster's ARN;
 * self-managed Kafka: `SelfManagedKafka` and no ARN at all (Powertools' `KafkaMskEventSchema`
 * requires `eventSourceArn`, its `KafkaSelfManagedEventSchema` has none). Typed from
 * `@types/aws-lambda`'s `MSKEvent` and `SelfManagedKafkaEvent`.
 */
type KafkaEventSource =
  | Readonly<Pick<MSKEvent, 'eventSource' | 'eventSourceArn'>>
  | Readonly<Pick<SelfManagedKafkaEvent, 'eventSource'>>;

/**
 * The event source the deployment settings describe, so that a local run sees the event shape the
 * deployed function will see.
 *
 * @example
 * ```ts
 * kafkaEventSourceOf({ kind: 'msk', clusterArn, auth: 'iam' }); // { eventSource: 'aws:kafka', eventSourceArn: clusterArn }
 * ```
 */
function kafkaEventSourceOf(source: DeploymentSettings['source']): KafkaEventSource {
  return source.kind === 'msk'
    ? { eventSource: 'aws:kafka', eventSourceArn: source.clusterArn }
    : { eventSource: 'SelfManagedKafka' };
}

/**
 * Header bytes as Lambda sends them: Java `byte`s, signed (-128..127), so "ü" (0xc3 0xbc) is
 * `[-61, -68]` (aws-lambda-go `events/testdata/kafka-event.json`: `[118, -36, 0, 127, -128]`).
 *
 * A header without a value becomes `[]`. UNCONFIRMED: no AWS document, runtime type or issue we
 * found shows what Lambda sends for a null header value (Java's `Header.value()` is then null).
 * `[]` is the shape every typed consumer of the event accepts — aws-lambda-rust-runtime
 * `Vec<i8>`, aws-lambda-go `JSONNumberBytes`, Powertools' parser `z.array(z.number())` and our
 * own `kafkaRecordSchema()` — whereas `null` would fail the Rust and Powertools parsers and ours.
 */
function headerBytes(value: Buffer | undefined): number[] {
  if (value === undefined || value === null) return [];
  return [...new Int8Array(value.buffer, value.byteOffset, value.length)];
}

/**
 * The record exactly as Lambda's Kafka event source delivers it: base64 key (absent when the
 * producer set none) and value (null for a tombstone), the batch's timestamp type, headers as
 * arrays of signed byte values.
 *
 * @example
 * ```ts
 * toLambdaRecord(record); // { topic, partition, offset, timestamp, timestampType, key, value, headers }
 * ```
 */
function toLambdaRecord(record: FetchedRecord): KafkaRecord {
  return {
    topic: record.topic,
    partition: record.partition,
    offset: Number(record.offset),
    timestamp: Number(record.timestamp),
    timestampType: record.timestampType,
    ...(record.key === undefined || record.key === null ? {} : { key: record.key.toString('base64') }),
    value: record.value === undefined || record.value === null ? null : record.value.toString('base64'),
    headers: [...record.headers].map(([name, value]) => ({ [name.toString('utf8')]: headerBytes(value) })),
  };
}

/**
 * The Kafka event for one batch, `records` keyed `topic-partition`, from the source the
 * deployment describes (MSK or self-managed).
 *
 * @example
 * ```ts
 * toKafkaEvent(records, ['127.0.0.1:9092'], { eventSource: 'SelfManagedKafka' });
 * ```
 */
function toKafkaEvent(
  records: readonly KafkaRecord[],
  bootstrapServers: readonly string[],
  source: KafkaEventSource,
): KafkaEvent {
  const grouped: Record<string, KafkaRecord[]> = {};
  for (const record of records) {
    const key = `${record.topic}-${record.partition}`;
    grouped[key] ??= [];
    grouped[key].push(record);
  }
  return { ...source, bootstrapServers: bootstrapServers.join(','), records: grouped };
}

/** JSON field names, punctuation and numbers of one record, generously. */
const RECORD_JSON_OVERHEAD_BYTES = 160;
/** The longest JSON of one signed header byte: `-128,`. */
const MAX_HEADER_BYTE_JSON_CHARS = 5;

/**
 * The bytes a fetched record adds to the invoke payload, computed rather than serialized: base64
 * grows key and value by 4/3, each header byte becomes up to 5 characters (`-128,`).
 */
function recordPayloadBytes(record: Pick<FetchedRecord, 'key' | 'value' | 'headers'>): number {
  const base64 = (bytes: number) => Math.ceil(bytes / 3) * 4;
  let headers = 0;
  for (const [name, value] of record.headers)
    headers += name.length + 8 + (value?.length ?? 0) * MAX_HEADER_BYTE_JSON_CHARS;
  return (
    RECORD_JSON_OVERHEAD_BYTES + base64(record.key?.length ?? 0) + base64(record.value?.length ?? 0) + headers
  );
}

export type { FetchedRecord, KafkaEventSource };
export { kafkaEventSourceOf, recordPayloadBytes, TimestampType, toKafkaEvent, toLambdaRecord };
