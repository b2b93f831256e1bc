import * as z from 'zod';

const MoneySchema = z.number().nonnegative().max(1e9).multipleOf(0.01);

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
    orderId: z.string().min(1).max(64),
    customerId: z.string().min(1).max(64),
    currency: z.string().regex(/^[A-Z]{3}$/, 'ISO 4217 code'),
    items: z
      .array(
        z.object({
          sku: z.string().min(1).max(64),
          quantity: z.number().int().positive().max(10_000),
          unitPrice: MoneySchema,
        }),
      )
      .min(1)
      .max(500),
    total: MoneySchema,
  })
  .refine(
    (order) =>
      Math.abs(order.items.reduce((sum, item) => sum + item.quantity * item.unitPrice, 0) - order.total) <
      0.005,
    { message: 'total must equal the sum of quantity × unitPrice', path: ['total'] },
  );

type OrderPlaced = z.infer<typeof OrderPlacedSchema>;

export type { OrderPlaced };
export { OrderPlacedSchema };
