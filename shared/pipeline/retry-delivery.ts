import type { ValidEvent } from '../events/envelope.ts';
import type { EventRegistry } from '../events/registry.ts';
import { MessageKind } from './constants.ts';
import { decodeValue } from './decode.ts';
import { DecodeError } from './errors.ts';
import { type RetryQueueBody, RetryQueueBodySchema } from './messages.ts';
import { lostValueReason } from './salvage-record.ts';
import { validateEvent } from './validate.ts';

/** A retry-queue message, understood: where its attempt budget and redrive count stand. */
type RetryDelivery =
  | {
      readonly kind: 'readable';
      readonly body: RetryQueueBody;
      /** Attempts made before this message reached the retry queue (0 after a redrive). */
      readonly attemptsBefore: number;
      readonly redriveCount: number;
    }
  | { readonly kind: 'unreadable'; readonly body: null; readonly error: DecodeError };

/**
 * Reads a retry-queue message: a retry message from the consumer, or a dead letter an operator
 * redrove (which starts a fresh attempt budget and counts one more redrive).
 *
 * @example
 * ```ts
 * const delivery = parseRetryBody({ body: record.body });
 * ```
 */
function parseRetryBody(record: { readonly body: string }): RetryDelivery {
  let json: unknown;
  try {
    json = JSON.parse(record.body);
  } catch {
    return { kind: 'unreadable', body: null, error: new DecodeError('retry queue message is not JSON') };
  }
  const parsed = RetryQueueBodySchema.safeParse(json);
  if (!parsed.success) {
    const reason = parsed.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.')}: ${i.message}`)
      .join('; ');
    return {
      kind: 'unreadable',
      body: null,
      error: new DecodeError(`not a retry message or dead letter: ${reason}`),
    };
  }
  const body = parsed.data;
  if (body.kind === MessageKind.DEAD_LETTER) {
    return { kind: 'readable', body, attemptsBefore: 0, redriveCount: body.failure.redriveCount + 1 };
  }
  return { kind: 'readable', body, attemptsBefore: body.attempts, redriveCount: body.redriveCount };
}

/**
 * The validated event of a delivery. A redriven dead letter of a record that never decoded is
 * decoded again from its raw bytes (the decoder or the schemas may have been fixed since); one whose
 * value could not be kept (a malformed record) fails saying so, not as a tombstone.
 */
function eventOfDelivery(
  delivery: Extract<RetryDelivery, { kind: 'readable' }>,
  registry: EventRegistry,
): ValidEvent {
  const { body } = delivery;
  if (body.event) return validateEvent(body.event, registry);
  if (body.kind === MessageKind.DEAD_LETTER && body.raw) {
    // A value lost to a malformed record is not a tombstone: say what happened to it.
    const lost = lostValueReason(body.raw);
    if (lost !== undefined) throw new DecodeError(lost);
    return validateEvent(decodeValue({ value: body.raw.valueBase64 }), registry);
  }
  throw new DecodeError('dead letter carries neither an event nor its raw record');
}

export type { RetryDelivery };
export { eventOfDelivery, parseRetryBody };
