import type { ValidEvent } from '../events/envelope.ts';
import type { RawRecord } from './messages.ts';
import type { KafkaCoordinates } from './types.ts';

/** A record that decoded and validated: ready for its processor. */
interface ReadyRecord {
  readonly coordinates: KafkaCoordinates;
  readonly event: ValidEvent;
  /** Per-key ordering: records with the same order key run one after the other. */
  readonly orderKey: string | null;
}

/** How one record of a batch was settled. Every record gets exactly one. */
type RecordOutcome =
  | { readonly kind: 'processed'; readonly record: ReadyRecord; readonly latencyMs: number }
  | {
      readonly kind: 'retry';
      readonly record: ReadyRecord;
      /** Undefined for a deferred record (not started before the deadline). */
      readonly error?: unknown;
      readonly attempts: number;
      readonly delaySeconds: number;
    }
  | {
      readonly kind: 'dead-letter';
      readonly coordinates: KafkaCoordinates;
      readonly event: ValidEvent | null;
      readonly raw: Readonly<RawRecord> | null;
      readonly error: unknown;
      readonly attempts: number;
    };

export type { ReadyRecord, RecordOutcome };
