import { decodeHeaders, textOrNull } from './decode.ts';
import { headerValueSchema } from './kafka-event.ts';
import type { RawRecord } from './messages.ts';
import type { KafkaCoordinates } from './types.ts';

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

export { lostValueReason, salvageRecord };
