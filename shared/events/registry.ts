import type * as z from 'zod/mini';
import type { Processor } from '../pipeline/ports.ts';

/**
 * What the product knows about one event type: its data schema (any zod 4 schema, classic or
 * `zod/mini`) and, optionally, its processor.
 */
interface EventTypeDefinition<Schema extends z.core.$ZodType = z.core.$ZodType> {
  readonly dataSchema: Schema;
  /** Used when no webhook route is configured for the type. */
  readonly process?: Processor<z.output<Schema>>;
}

/**
 * Declares one event type in a file of its own: its data schema and, optionally, its in-code
 * processor, typed by the schema (`event.data` is the parsed data).
 *
 * @example
 * ```ts
 * export const stockAdjusted = defineEventType({
 *   dataSchema: z.object({ sku: z.string(), delta: z.number().int() }),
 *   process: async (event, { signal }) => adjustStock(event.data.sku, event.data.delta, { signal }),
 * });
 * ```
 */
function defineEventType<Schema extends z.core.$ZodType>(
  definition: EventTypeDefinition<Schema>,
): EventTypeDefinition<Schema> {
  return Object.freeze({ ...definition });
}

/** `type → definition`: adding an event type is one file and one line here. */
type EventRegistry = Readonly<Record<string, EventTypeDefinition>>;

/**
 * Declares a registry with each processor typed by its schema.
 *
 * @example
 * ```ts
 * const registry = defineRegistry({
 *   'order.placed': { dataSchema: OrderPlacedSchema, process: async (event) => save(event.data) },
 * });
 * ```
 */
function defineRegistry<const Types extends Record<string, EventTypeDefinition>>(types: Types): Types {
  return Object.freeze({ ...types });
}

export type { EventRegistry, EventTypeDefinition };
export { defineEventType, defineRegistry };
