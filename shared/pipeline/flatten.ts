import { coordinatesOf } from './decode.ts';
import { type KafkaEvent, type KafkaRecord, kafkaRecordSchema } from './kafka-event.ts';
import type { RawRecord } from './messages.ts';
import { wellFormedRecord } from './record-shape.ts';
import { salvageRecord } from './salvage-record.ts';
import type { KafkaCoordinates } from './types.ts';

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

export type { FlatRecord };
export { flattenBatch };
