import type { EventRegistry } from '../events/registry.ts';
import { decodeValue } from './decode.ts';
import { DecodeError } from './errors.ts';
import type { FlatRecord } from './flatten.ts';
import type { ReadyRecord, RecordOutcome } from './outcomes.ts';
import { validateEvent } from './validate.ts';

/**
 * Decodes and validates one flattened record. Both stages are pure and cheap, so the whole batch
 * is prepared before any processing starts: poison records are dead-lettered at once (they never
 * block a partition), and records deferred at the deadline are already valid events.
 *
 * @returns a record ready to process, or its dead-letter outcome
 * @example
 * ```ts
 * const prepared = flattenBatch(event).map((item) => prepareRecord(item, eventTypes, 1_048_576));
 * ```
 */
function prepareRecord(
  item: FlatRecord,
  registry: EventRegistry,
  maxRecordBytes: number,
): ReadyRecord | RecordOutcome {
  if (!item.ok) {
    return {
      kind: 'dead-letter',
      coordinates: item.coordinates,
      event: null,
      raw: item.raw,
      error: new DecodeError(item.reason),
      attempts: 1,
    };
  }
  try {
    const event = validateEvent(decodeValue(item.record, maxRecordBytes), registry);
    const { topic, partition, keyBase64 } = item.coordinates;
    const orderKey = keyBase64 === null ? null : `${topic}\u0000${partition}\u0000${keyBase64}`;
    return { coordinates: item.coordinates, event, orderKey };
  } catch (error) {
    // Built here, not before the try: a record that validates never needs it (one object less per record).
    const explained = withDeclaredFormat(error, item.record.valueSchemaMetadata?.dataFormat);
    return {
      kind: 'dead-letter',
      coordinates: item.coordinates,
      event: null,
      raw: { keyBase64: item.coordinates.keyBase64, valueBase64: item.record.value ?? null },
      error: explained,
      attempts: 1,
    };
  }
}

/**
 * A value that does not decode and that Lambda says is Avro or Protobuf (a schema registry format)
 * is not corrupt: it is a format the pipeline does not read. The reason says so, so that an
 * operator looks at the producer, not at the broker.
 */
function withDeclaredFormat(error: unknown, dataFormat: string | undefined): unknown {
  if (!(error instanceof DecodeError) || dataFormat === undefined || dataFormat === 'JSON') return error;
  return new DecodeError(
    `${error.message}; the record declares valueSchemaMetadata.dataFormat ${dataFormat}, and the pipeline reads JSON CloudEvents only`,
    { cause: error },
  );
}

function isReady(value: ReadyRecord | RecordOutcome): value is ReadyRecord {
  return !('kind' in value);
}

export { isReady, prepareRecord };
