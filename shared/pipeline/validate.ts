import * as z from 'zod/mini';
import { EnvelopeSchema, type ValidEvent } from '../events/envelope.ts';
import type { EventRegistry } from '../events/registry.ts';
import { ValidationError } from './errors.ts';

const MAX_MESSAGE_ISSUES = 5;
const MAX_MESSAGE_LENGTH = 1_000;

/**
 * Validates decoded JSON: the envelope first, then `data` against the schema registered for the
 * event's type. Unknown types are permanent failures: no retry would make them known.
 *
 * @param json - the decoded record value
 * @param registry - the known event types
 * @returns the event with `data` as the type's schema output
 * @example
 * ```ts
 * const event = validateEvent(decodeValue(record), eventTypes);
 * ```
 */
function validateEvent(json: unknown, registry: EventRegistry): ValidEvent {
  const envelope = EnvelopeSchema.safeParse(json);
  if (!envelope.success) {
    throw new ValidationError(`invalid envelope: ${summarise(envelope.error)}`, envelope.error.issues);
  }
  const definition = Object.hasOwn(registry, envelope.data.type) ? registry[envelope.data.type] : undefined;
  if (!definition) {
    throw new ValidationError(`unknown event type "${envelope.data.type.slice(0, 100)}"`);
  }
  const data = z.safeParse(definition.dataSchema, envelope.data.data);
  if (!data.success) {
    throw new ValidationError(
      `data does not match ${envelope.data.type}: ${summarise(data.error)}`,
      data.error.issues.map((issue) => ({ ...issue, path: ['data', ...issue.path] })),
    );
  }
  return { ...envelope.data, data: data.data };
}

function summarise(error: z.core.$ZodError): string {
  const parts = error.issues
    .slice(0, MAX_MESSAGE_ISSUES)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  const more =
    error.issues.length > MAX_MESSAGE_ISSUES ? ` (+${error.issues.length - MAX_MESSAGE_ISSUES} more)` : '';
  return `${parts.join('; ')}${more}`.slice(0, MAX_MESSAGE_LENGTH);
}

export { validateEvent };
