import * as z from 'zod/mini';
import '../config/zod-locale.ts';

const MoneySchema = z.number().check(z.nonnegative(), z.maximum(1e9), z.multipleOf(0.01));

/**
 * `order.placed`: a customer completed checkout.
 *
 * ```json
 * { "orderId": "o-1001", "customerId": "c-7", "currency": "EUR",
 *   "items": [{ "sku": "SKU-1", "quantity": 2, "unitPrice": 9.99 }], "total": 19.98 }
 * ```
 */
const OrderPlacedSchema = z
  .object({
    orderId: z.string().check(z.minLength(1), z.maxLength(64)),
    customerId: z.string().check(z.minLength(1), z.maxLength(64)),
    currency: z.string().check(z.regex(/^[A-Z]{3}$/, 'ISO 4217 code')),
    items: z
      .array(
        z.object({
          sku: z.string().check(z.minLength(1), z.maxLength(64)),
          quantity: z.number().check(z.int(), z.positive(), z.maximum(10_000)),
          unitPrice: MoneySchema,
        }),
      )
      .check(z.minLength(1), z.maxLength(500)),
    total: MoneySchema,
  })
  .check(
    z.refine(
      (order) =>
        Math.abs(order.items.reduce((sum, item) => sum + item.quantity * item.unitPrice, 0) - order.total) <
        0.005,
      { message: 'total must equal the sum of quantity × unitPrice', path: ['total'] },
    ),
  );

type OrderPlaced = z.infer<typeof OrderPlacedSchema>;

export type { OrderPlaced };
export { OrderPlacedSchema };
