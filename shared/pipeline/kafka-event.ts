import * as z from 'zod/mini';
import '../config/zod-locale.ts';
import { coordinatesOf, decodeHeaders, textOrNull } from './decode.ts';
import type { KafkaCoordinates, RawRecord } from './messages.ts';

/**
 * Lambda's Kafka event and its records, read leniently: the event's shape, each record's shape
 * (a zod schema, and the hand-written check the hot path runs first), the batch flattened in
 * partition and offset order, and what is kept of a record whose shape is broken.
 */

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

/** A record in batch order, parsed if its shape allowed it. */
type FlatRecord =
  | { readonly ok: true; readonly record: KafkaRecord; readonly coordinates: KafkaCoordinates }
  | {
      readonly ok: false;
      readonly coordinates: KafkaCoordinates;
      readonly reason: string;
      /** The parts of the record that were valid on their own, kept for its dead letter. */
      readonly raw: RawRecord;
    };

/**
 * Flattens `records` (keyed `topic-partition`) into one list: partitions in the order Lambda gave
 * them, each partition's records by offset. A record whose shape is broken is kept with every part
 * that was valid on its own (see {@link salvageRecord}), so it is dead-lettered with its payload
 * rather than dropped or crashing the batch.
 *
 * @example
 * ```ts
 * for (const item of flattenBatch(event)) if (item.ok) decodeValue(item.record);
 * ```
 */
function flattenBatch(event: KafkaEvent): FlatRecord[] {
  const flat: FlatRecord[] = [];
  for (const [partitionKey, records] of Object.entries(event.records)) {
    const parsed = records.map((raw) => parseRecord(raw, partitionKey));
    parsed.sort((a, b) => a.coordinates.offset - b.coordinates.offset);
    flat.push(...parsed);
  }
  return flat;
}

function parseRecord(raw: unknown, partitionKey: string): FlatRecord {
  // The hand-written check first (hot path); zod only for what it is unsure of, and to word failures.
  const record = wellFormedRecord(raw);
  if (record) return { ok: true, record, coordinates: coordinatesOf(record) };
  const result = kafkaRecordSchema().safeParse(raw);
  if (result.success) return { ok: true, record: result.data, coordinates: coordinatesOf(result.data) };
  const reason = result.error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(record)'}: ${issue.message}`)
    .join('; ');
  return { ok: false, ...salvageRecord(raw, partitionKey), reason: `malformed Kafka record: ${reason}` };
}

/**
 * The record as `kafkaRecordSchema()` would return it, checked by hand: the hot path of every batch,
 * where a zod pass over Lambda's own record shape cost about a tenth of the per-record time. It
 * accepts only what the schema accepts and returns the same value (known keys only, defaults
 * applied); anything it is unsure of (a malformed field, schema metadata of an unusual form) gets
 * `undefined`, and the caller runs the schema, which then either accepts it or words the failure.
 *
 * @example
 * ```ts
 * const record = wellFormedRecord(raw) ?? kafkaRecordSchema().safeParse(raw);
 * ```
 */
function wellFormedRecord(raw: unknown): KafkaRecord | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const record = raw as Record<string, unknown>;
  const { topic, partition, offset, timestamp, timestampType, key, value, headers } = record;
  if (typeof topic !== 'string' || topic.length === 0) return undefined;
  if (!isNonNegativeInteger(partition) || !isNonNegativeInteger(offset)) return undefined;
  if (typeof timestamp !== 'number' || !Number.isFinite(timestamp)) return undefined;
  if (timestampType !== undefined && typeof timestampType !== 'string') return undefined;
  if (!isOptionalString(key) || !isOptionalString(value)) return undefined;
  if (headers !== undefined && !areHeaders(headers)) return undefined;
  const keySchemaMetadata = schemaMetadata(record.keySchemaMetadata);
  const valueSchemaMetadata = schemaMetadata(record.valueSchemaMetadata);
  if (keySchemaMetadata === false || valueSchemaMetadata === false) return undefined;
  // One object of one shape per record (an absent key or value reads as undefined, as in zod's
  // output): no intermediate objects on the hot path.
  return {
    topic,
    partition,
    offset,
    timestamp,
    timestampType: timestampType ?? 'CREATE_TIME',
    key,
    value,
    headers: (headers as KafkaRecord['headers'] | undefined) ?? [],
    keySchemaMetadata,
    valueSchemaMetadata,
  };
}

function isNonNegativeInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isOptionalString(value: unknown): value is string | null | undefined {
  return value === undefined || value === null || typeof value === 'string';
}

/** An array of `{ name: [byte, …] }`, each byte an integer in -128..255 (signed or unsigned). */
function areHeaders(headers: unknown): boolean {
  if (!Array.isArray(headers)) return false;
  for (const header of headers) {
    if (typeof header !== 'object' || header === null || Array.isArray(header)) return false;
    if (Object.getPrototypeOf(header) !== Object.prototype) return false;
    for (const name in header) {
      if (!Object.hasOwn(header, name)) return false;
      const bytes = (header as Record<string, unknown>)[name];
      if (!Array.isArray(bytes)) return false;
      for (const byte of bytes) {
        if (!Number.isInteger(byte) || byte < -128 || byte > 255) return false;
      }
    }
  }
  return true;
}

/** Absent, or `{ dataFormat?, schemaId? }` of strings (copied); `false` for anything else (zod decides). */
function schemaMetadata(value: unknown): KafkaRecord['valueSchemaMetadata'] | false {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { dataFormat, schemaId, ...rest } = value as Record<string, unknown>;
  if (Object.keys(rest).length > 0) return false;
  if (dataFormat !== undefined && typeof dataFormat !== 'string') return false;
  if (schemaId !== undefined && typeof schemaId !== 'string') return false;
  return {
    ...(dataFormat === undefined ? {} : { dataFormat }),
    ...(schemaId === undefined ? {} : { schemaId }),
  };
}

/**
 * What can be kept of a record refused for its shape: each part that is valid on its own (value,
 * key, each header, timestamp, timestamp type), and for each part that is not, why it was not kept.
 * A bad header or offset must not cost the payload: the dead letter keeps the value, so a redrive
 * can process it. A value that was not a string cannot be kept, and its dead letter says so, so
 * that it is never mistaken for a tombstone (whose value is null on purpose).
 *
 * @param raw - the record as it arrived, of any shape
 * @param partitionKey - its `records` key, `<topic>-<partition>`, for a topic or partition it lacks
 * @example
 * ```ts
 * salvageRecord({ topic: 'orders', partition: 'x', value: 'eyJ9' }, 'orders-0').raw.valueBase64; // 'eyJ9'
 * ```
 */
function salvageRecord(
  raw: unknown,
  partitionKey: string,
): { readonly coordinates: KafkaCoordinates; readonly raw: RawRecord } {
  const loose = (typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? raw : {}) as Record<
    string,
    unknown
  >;
  const unkept: Record<string, string> = {};
  if (loose !== raw) unkept.record = `the record was ${describeType(raw)}, not an object`;
  const dash = partitionKey.lastIndexOf('-');
  const keyBase64 = keptString(loose, 'key', unkept);
  const coordinates: KafkaCoordinates = {
    topic: typeof loose.topic === 'string' ? loose.topic : partitionKey.slice(0, Math.max(0, dash)),
    partition:
      isWhole(loose.partition) && loose.partition >= 0
        ? loose.partition
        : Number(partitionKey.slice(dash + 1)) || 0,
    offset: isWhole(loose.offset) && loose.offset >= 0 ? loose.offset : -1,
    timestamp: typeof loose.timestamp === 'number' ? loose.timestamp : 0,
    timestampType: typeof loose.timestampType === 'string' ? loose.timestampType : 'UNKNOWN',
    key: keyBase64 === null ? null : textOrNull(keyBase64),
    keyBase64,
    headers: keptHeaders(loose.headers, unkept),
  };
  const valueBase64 = keptString(loose, 'value', unkept);
  const kept: RawRecord = { keyBase64, valueBase64 };
  return { coordinates, raw: Object.keys(unkept).length === 0 ? kept : { ...kept, unkept } };
}

/** A base64 part (key or value): a string is kept as is; null or absent is a legitimate null. */
function keptString(loose: Record<string, unknown>, part: string, unkept: Record<string, string>) {
  const value = loose[part];
  if (typeof value === 'string') return value;
  if (value !== null && value !== undefined)
    unkept[part] = `it was ${describeType(value)}, not a base64 string`;
  return null;
}

/** Each header entry on its own: a bad one is named in `unkept`, the good ones stay. */
function keptHeaders(headers: unknown, unkept: Record<string, string>): Record<string, string> {
  if (headers === undefined || headers === null) return {};
  if (!Array.isArray(headers)) {
    unkept.headers = `it was ${describeType(headers)}, not an array of headers`;
    return {};
  }
  const good: Record<string, number[]>[] = [];
  headers.forEach((header: unknown, index) => {
    if (typeof header !== 'object' || header === null || Array.isArray(header)) {
      unkept[`headers.${index}`] = `it was ${describeType(header)}, not a header object`;
      return;
    }
    for (const [name, bytes] of Object.entries(header)) {
      const value = headerValueSchema().safeParse(bytes);
      if (value.success) {
        good.push({ [name]: value.data });
      } else {
        unkept[`headers.${index}.${name}`] = 'it was not an array of bytes (-128..255)';
      }
    }
  });
  return decodeHeaders(good);
}

/**
 * Why a dead letter has no value although its record was not a tombstone, as the sentence a
 * redrive reports; undefined when the value was kept or really was null.
 *
 * @example
 * ```ts
 * lostValueReason({ keyBase64: null, valueBase64: null, unkept: { value: 'it was a number, not a base64 string' } });
 * // "the record's value could not be kept: it was a number, not a base64 string (malformed record)"
 * ```
 */
function lostValueReason(raw: RawRecord | null): string | undefined {
  const lost = raw?.unkept?.value ?? raw?.unkept?.record;
  if (raw === null || raw.valueBase64 !== null || lost === undefined) return undefined;
  return `the record's value could not be kept: ${lost} (malformed record)`;
}

function isWhole(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return type === 'object' ? 'an object' : `a ${type}`;
}

export type { FlatRecord, KafkaEvent, KafkaRecord };
export {
  flattenBatch,
  headerValueSchema,
  KafkaEventSchema,
  kafkaRecordSchema,
  lostValueReason,
  salvageRecord,
  wellFormedRecord,
};
