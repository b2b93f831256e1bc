import * as z from 'zod';
import { EnvelopeSchema, type ValidEvent } from '#shared/events/envelope.ts';
import { eventTypes } from '#shared/events/index.ts';
import type { EventRegistry } from '#shared/events/registry.ts';

const registry: EventRegistry = eventTypes;

/**
 * The product's schemas as one zod schema, as a user of `kafkaConsumer` would pass them: the
 * envelope, then the data schema registered for `type` — the same checks, in the same order, as
 * the product's validate stage, so the peers do the same validation work.
 */
const EventSchema = EnvelopeSchema.transform((envelope, ctx): ValidEvent => {
  const definition = Object.hasOwn(registry, envelope.type) ? registry[envelope.type] : undefined;
  if (!definition) {
    ctx.addIssue({ code: 'custom', message: `unknown event type ${envelope.type}`, path: ['type'] });
    return z.NEVER;
  }
  const data = definition.dataSchema.safeParse(envelope.data);
  if (!data.success) {
    for (const issue of data.error.issues) ctx.addIssue({ ...issue, path: ['data', ...issue.path] });
    return z.NEVER;
  }
  return { ...envelope, data: data.data };
});

/** The no-op processor every peer and the consumer's benchmark entry call. */
const noopProcessor = async (_event: ValidEvent): Promise<void> => undefined;

export { EventSchema, noopProcessor };
