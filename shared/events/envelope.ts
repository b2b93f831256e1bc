import * as z from 'zod/mini';
import '../config/zod-locale.ts';

/** Bounds that keep one event from exhausting memory or a dead letter's size. */
const MAX_ID_LENGTH = 256;
const MAX_ATTRIBUTE_LENGTH = 1024;

/**
 * The event envelope, CloudEvents 1.0 attribute names. `data` is checked afterwards against the
 * schema registered for `type`; here it only has to be present.
 *
 * ```json
 * {
 *   "specversion": "1.0",
 *   "id": "3f1c6c1e-8d8a-4f5e-9a43-2b0a6c3e9d10",
 *   "source": "/shop/checkout",
 *   "type": "order.placed",
 *   "time": "2026-11-24T18:00:00.000Z",
 *   "datacontenttype": "application/json",
 *   "data": { "orderId": "o-1001", "customerId": "c-7", "currency": "EUR", "items": [...] }
 * }
 * ```
 */
const EnvelopeSchema = z.object({
  specversion: z.literal('1.0'),
  id: z.string().check(z.minLength(1), z.maxLength(MAX_ID_LENGTH)),
  source: z.string().check(z.minLength(1), z.maxLength(MAX_ATTRIBUTE_LENGTH)),
  type: z.string().check(z.minLength(1), z.maxLength(MAX_ATTRIBUTE_LENGTH)),
  time: z.optional(z.iso.datetime({ offset: true })),
  datacontenttype: z.optional(z.literal('application/json')),
  subject: z.optional(z.string().check(z.maxLength(MAX_ATTRIBUTE_LENGTH))),
  data: z.unknown().check(z.refine((data) => data !== undefined, 'data is required')),
});

type Envelope = z.infer<typeof EnvelopeSchema>;

/** An envelope whose `data` passed its type's schema. */
type ValidEvent<Data = unknown> = Omit<Envelope, 'data'> & { data: Data };

export type { Envelope, ValidEvent };
export { EnvelopeSchema };
