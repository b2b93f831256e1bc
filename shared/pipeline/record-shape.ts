import type { KafkaRecord } from './kafka-event.ts';

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

export { wellFormedRecord };
