import type { EventRegistry } from '../events/registry.ts';
import { ValidationError } from '../pipeline/errors.ts';
import { validateEvent } from '../pipeline/validate.ts';
import type { IngestRecord, Refusal, RefusalKind } from './types.ts';

/** As the envelope's other attributes: a key never outweighs the event. */
const MAX_PARTITION_KEY_LENGTH = 1_024;

/** The structured mode's `content-type` header (Kafka binding 3.3.1). */
const STRUCTURED_CONTENT_TYPE = 'application/cloudevents+json; charset=UTF-8';

/**
 * One event checked exactly as the consumer will check it (`validateEvent`: the envelope, then
 * `data` against its type's schema), then mapped to a Kafka record in the CloudEvents Kafka
 * binding's structured mode: the value is the event as sent; the key is the `partitionkey`
 * extension (the binding's "Key Mapper", 3.1), else the id, so one key's events stay in order;
 * the binding allows the binary mode's `ce_*` headers beside the value (3.3.3), which lets a
 * reader route on id and type without parsing. The consumer reads the value only.
 * https://github.com/cloudevents/spec/blob/main/cloudevents/bindings/kafka-protocol-binding.md
 *
 * @param event - the event's JSON and bytes; `index` its position in the request
 * @param registry - the event types the pipeline knows
 * @param maxEventBytes - larger events are refused (the consumer would dead-letter them unread)
 * @returns the record, or why the event is refused
 * @example
 * ```ts
 * const result = toIngestRecord({ json, bytes, index: 0 }, eventTypes, 1_048_576);
 * if ('record' in result) await producer.send([result.record]);
 * ```
 */
function toIngestRecord(
  event: { readonly json: unknown; readonly bytes: Buffer; readonly index: number },
  registry: EventRegistry,
  maxEventBytes: number,
): { record: IngestRecord; id: string } | { refusal: Refusal } {
  const { json, bytes, index } = event;
  const id = readableId(json);
  const refuse = (reason: string, issues?: Refusal['issues'], kind: RefusalKind = 'invalid') => ({
    refusal: { index, ...(id === undefined ? {} : { id }), kind, reason, ...(issues ? { issues } : {}) },
  });
  if (bytes.length > maxEventBytes) {
    return refuse(
      `the event is ${bytes.length} bytes, over the limit of ${maxEventBytes}`,
      undefined,
      'too-large',
    );
  }
  let valid: ReturnType<typeof validateEvent>;
  try {
    valid = validateEvent(json, registry);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return refuse(
      error.message,
      error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    );
  }
  const partitionKey = (json as { partitionkey?: unknown }).partitionkey;
  if (
    partitionKey !== undefined &&
    (typeof partitionKey !== 'string' ||
      partitionKey === '' ||
      partitionKey.length > MAX_PARTITION_KEY_LENGTH)
  ) {
    return refuse(
      `partitionkey must be a string of 1–${MAX_PARTITION_KEY_LENGTH} characters (CloudEvents partitioning extension)`,
    );
  }
  return {
    id: valid.id,
    record: {
      key: partitionKey ?? valid.id,
      value: bytes,
      headers: {
        'content-type': STRUCTURED_CONTENT_TYPE,
        ce_specversion: valid.specversion,
        ce_id: valid.id,
        ce_type: valid.type,
        ce_source: valid.source,
      },
    },
  };
}

/** The id to name a refused event by: only a string the envelope would accept, cut short. */
function readableId(json: unknown): string | undefined {
  const id = (json as { id?: unknown } | null)?.id;
  return typeof id === 'string' && id.length > 0 ? id.slice(0, 256) : undefined;
}

export { STRUCTURED_CONTENT_TYPE, toIngestRecord };
