/**
 * One event ready for the source topic, in the CloudEvents Kafka binding's structured mode: the
 * event's JSON as the value, the key from its `partitionkey` extension (else its id), and the
 * `content-type` and `ce_*` headers.
 * https://github.com/cloudevents/spec/blob/main/cloudevents/bindings/kafka-protocol-binding.md
 */
interface IngestRecord {
  readonly key: string;
  /** The event's JSON, as the caller sent it (the binding forbids modifying the event). */
  readonly value: Buffer;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * The port the ingest handler produces through. `send` resolves only once the broker acknowledged
 * every record (acks = all); it rejects when any was not, and the handler then answers 503 for
 * all of them (the caller retries the request: at-least-once, never lost).
 */
interface EventProducer {
  send(records: readonly IngestRecord[]): Promise<void>;
  close(): Promise<void>;
}

/** The limits the handler enforces; see `ingestSettings` for the defaults. */
interface IngestSettings {
  /** Largest request body, decoded (base64 bodies are measured after decoding). */
  readonly maxBodyBytes: number;
  /** Most events in one `application/cloudevents-batch+json` request. */
  readonly maxBatchEvents: number;
  /**
   * Largest single event: the consumer dead-letters larger record values unread (maxRecordBytes),
   * and a broker refuses a record past its message.max.bytes.
   */
  readonly maxEventBytes: number;
  /** How long the handler waits for the broker's acknowledgement before answering 503. */
  readonly produceTimeoutMs: number;
  /** The `Retry-After` of a 503. */
  readonly retryAfterSeconds: number;
}

type RefusalKind = 'invalid' | 'too-large';

/** Why one event of a request was not produced. */
interface Refusal {
  /** The event's position in the request (0 for a single event). */
  readonly index: number;
  /** The event's id when it had a readable one. */
  readonly id?: string;
  /** `invalid`: fails the envelope or its type's schema; `too-large`: past maxEventBytes. */
  readonly kind: RefusalKind;
  readonly reason: string;
  /** zod's issues, path and message only: never the input. */
  readonly issues?: readonly { readonly path: string; readonly message: string }[];
}

/** The JSON body of every answer that concerns events (202 and 400). */
interface IngestResult {
  readonly accepted: readonly string[];
  readonly refused: readonly Refusal[];
}

export type { EventProducer, IngestRecord, IngestResult, IngestSettings, Refusal, RefusalKind };
