import { coordinatesOf } from './decode.ts';
import { type KafkaEvent, type KafkaRecord, KafkaRecordSchema } from './kafka-event.ts';
import type { KafkaCoordinates } from './types.ts';

/** A record in batch order, parsed if its shape allowed it. */
type FlatRecord =
  | { readonly ok: true; readonly record: KafkaRecord; readonly coordinates: KafkaCoordinates }
  | {
      readonly ok: false;
      readonly coordinates: KafkaCoordinates;
      readonly reason: string;
      readonly raw: unknown;
    };

/**
 * Flattens `records` (keyed `topic-partition`) into one list: partitions in the order Lambda gave
 * them, each partition's records by offset. A record whose shape is broken is kept with the
 * coordinates we can recover, so it is dead-lettered rather than dropped or crashing the batch.
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
  const result = KafkaRecordSchema.safeParse(raw);
  if (result.success) return { ok: true, record: result.data, coordinates: coordinatesOf(result.data) };
  const dash = partitionKey.lastIndexOf('-');
  const loose = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const coordinates: KafkaCoordinates = {
    topic: typeof loose.topic === 'string' ? loose.topic : partitionKey.slice(0, Math.max(0, dash)),
    partition:
      typeof loose.partition === 'number' ? loose.partition : Number(partitionKey.slice(dash + 1)) || 0,
    offset: typeof loose.offset === 'number' ? loose.offset : -1,
    timestamp: typeof loose.timestamp === 'number' ? loose.timestamp : 0,
    timestampType: 'UNKNOWN',
    key: null,
    keyBase64: typeof loose.key === 'string' ? loose.key : null,
    headers: {},
  };
  const reason = result.error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(record)'}: ${issue.message}`)
    .join('; ');
  return { ok: false, coordinates, reason: `malformed Kafka record: ${reason}`, raw };
}

export type { FlatRecord };
export { flattenBatch };
