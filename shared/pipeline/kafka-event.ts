import * as z from 'zod/mini';
import '../config/zod-locale.ts';

/**
 * The Kafka event Lambda delivers, for MSK (`aws:kafka`) and self-managed Kafka
 * (`SelfManagedKafka`). Records stay `unknown` here: each is parsed on its own by
 * {@link kafkaRecordSchema}, so one malformed record is dead-lettered instead of failing the batch.
 * (Powertools' `KafkaMskEventSchema` decodes values to strings and rejects tombstones, which is
 * why the product keeps its own lenient shape.)
 *
 * ```json
 * { "eventSource": "aws:kafka", "bootstrapServers": "b-1:9092,b-2:9092",
 *   "records": { "orders-0": [ { "topic": "orders", "partition": 0, "offset": 15, ... } ] } }
 * ```
 */
const KafkaEventSchema = z.object({
  // The Lambda guide (with-kafka.html) and Powertools TypeScript say `SelfManagedKafka`; Powertools
  // Python's parser and test events long said `aws:SelfManagedKafka` (issues #5559 and, for
  // TypeScript, #3324). The records are the same either way: refusing the label would fail every
  // batch, and the event source mapping would redeliver it forever.
  eventSource: z.enum(['aws:kafka', 'SelfManagedKafka', 'aws:SelfManagedKafka']),
  eventSourceArn: z.optional(z.string()),
  bootstrapServers: z.optional(z.string()),
  records: z.record(z.string(), z.array(z.unknown())),
});

/**
 * A header byte. Lambda's Kafka event source sends Java `byte`s, signed (-128..127): "Zürich" is
 * `[90,-61,-68,114,105,99,104]` (aws-lambda-go `events/testdata/kafka-event.json` has
 * `[118,-36,0,127,-128]`; aws-lambda-rust-runtime types them `Vec<i8>`). Unsigned 0..255 is
 * accepted too (older emulators and hand-written fixtures); both read as the byte `value & 0xff`.
 */
function headerByteSchema() {
  return z.number().check(z.int(), z.minimum(-128), z.maximum(255));
}

/**
 * A header's value. Kafka allows a header without a value (`kcat -H x-flag`); no AWS source says
 * what the event source sends for it (unconfirmed), so both `[]` (what the local emulator sends)
 * and `null` are read as an empty value rather than refusing a record whose payload is fine.
 */
function buildHeaderValueSchema() {
  return z.pipe(
    z.nullable(z.array(headerByteSchema())),
    z.transform((bytes: number[] | null) => bytes ?? []),
  );
}

/**
 * What Lambda adds to a record when the event source mapping has a schema registry configured
 * (Powertools `packages/kafka` test events, e.g. `protobuf.json`): the data format and, for
 * registry formats, the schema id. Advisory only: a malformed one is dropped rather than refusing
 * the record.
 *
 * ```json
 * { "dataFormat": "PROTOBUF", "schemaId": "7d55d475-2244-4485-8341-f74468c1e058" }
 * ```
 */
function schemaMetadataSchema() {
  return z.catch(
    z.optional(z.object({ dataFormat: z.optional(z.string()), schemaId: z.optional(z.string()) })),
    undefined,
  );
}

/**
 * One record as Lambda delivers it: key and value base64 (value null for a tombstone, key absent
 * when the producer set none), headers as arrays of signed byte values.
 *
 * ```json
 * { "topic": "orders", "partition": 0, "offset": 15, "timestamp": 1545084650987,
 *   "timestampType": "CREATE_TIME", "key": "b3JkZXItMQ==", "value": "eyJpZCI6MX0=",
 *   "headers": [{ "traceparent": [48, 48, 45] }] }
 * ```
 */
function buildKafkaRecordSchema() {
  const metadata = schemaMetadataSchema();
  return z.object({
    topic: z.string().check(z.minLength(1)),
    partition: z.number().check(z.int(), z.nonnegative()),
    offset: z.number().check(z.int(), z.nonnegative()),
    timestamp: z.number(),
    timestampType: z._default(z.string(), 'CREATE_TIME'),
    key: z.nullish(z.string()),
    value: z.nullish(z.string()),
    headers: z._default(z.array(z.record(z.string(), headerValueSchema())), []),
    keySchemaMetadata: metadata,
    valueSchemaMetadata: metadata,
  });
}

// Built on first use, not at cold start (≈2 ms of zod/mini construction): a batch needs them only
// for a record the hand check (record-shape.ts) is unsure of, to parse or word its failure.
let headerValue: ReturnType<typeof buildHeaderValueSchema> | undefined;
let kafkaRecord: ReturnType<typeof buildKafkaRecordSchema> | undefined;

/** The schema of one header value (see {@link buildHeaderValueSchema}), built once, on first use. */
function headerValueSchema(): ReturnType<typeof buildHeaderValueSchema> {
  headerValue ??= buildHeaderValueSchema();
  return headerValue;
}

/** The schema of one record (see {@link buildKafkaRecordSchema}), built once, on first use. */
function kafkaRecordSchema(): ReturnType<typeof buildKafkaRecordSchema> {
  kafkaRecord ??= buildKafkaRecordSchema();
  return kafkaRecord;
}

type KafkaEvent = z.infer<typeof KafkaEventSchema>;
type KafkaRecord = z.infer<ReturnType<typeof buildKafkaRecordSchema>>;

export type { KafkaEvent, KafkaRecord };
export { headerValueSchema, KafkaEventSchema, kafkaRecordSchema };
