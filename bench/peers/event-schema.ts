import * as z from 'zod/mini';
import { type Envelope, EnvelopeSchema, type ValidEvent } from '#shared/events/envelope.ts';
import { eventTypes } from '#shared/events/index.ts';
import type { EventRegistry } from '#shared/events/registry.ts';

const registry: EventRegistry = eventTypes;

/**
 * The product's schemas as one zod schema, as a user of `kafkaConsumer` would pass them: the
 * envelope, then the data schema registered for `type` — the same checks, in the same order, as
 * the product's validate stage, so the peers do the same validation work. Written with `zod/mini`,
 * like the schemas it wraps, so that the peers load no more of zod than the product does.
 */
const EventSchema = z.pipe(
  EnvelopeSchema,
  z.transform((envelope: Envelope, payload): ValidEvent => {
    const definition = Object.hasOwn(registry, envelope.type) ? registry[envelope.type] : undefined;
    if (!definition) {
      payload.issues.push({
        code: 'custom',
        message: `unknown event type ${envelope.type}`,
        path: ['type'],
        input: envelope.type,
      });
      return z.NEVER;
    }
    const data = z.safeParse(definition.dataSchema, envelope.data);
    if (!data.success) {
      for (const issue of data.error.issues)
        payload.issues.push({ ...issue, path: ['data', ...issue.path] } as z.core.$ZodRawIssue);

      return z.NEVER;
    }
    return { ...envelope, data: data.data };
  }),
);

/** The no-op processor every peer and the consumer's benchmark entry call. */
const noopProcessor = async (_event: ValidEvent): Promise<void> => undefined;

export { EventSchema, noopProcessor };
