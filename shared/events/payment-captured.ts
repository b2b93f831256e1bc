import * as z from 'zod/mini';
import '../config/zod-locale.ts';

/**
 * `payment.captured`: the payment provider captured funds for an order.
 *
 * ```json
 * { "paymentId": "p-55", "orderId": "o-1001", "amount": 19.98, "currency": "EUR",
 *   "method": "card", "capturedAt": "2026-11-24T18:00:01Z" }
 * ```
 */
const PaymentCapturedSchema = z.object({
  paymentId: z.string().check(z.minLength(1), z.maxLength(64)),
  orderId: z.string().check(z.minLength(1), z.maxLength(64)),
  amount: z.number().check(z.positive(), z.maximum(1e9)),
  currency: z.string().check(z.regex(/^[A-Z]{3}$/, 'ISO 4217 code')),
  method: z.enum(['card', 'bank-transfer', 'wallet']),
  capturedAt: z.iso.datetime({ offset: true }),
});

type PaymentCaptured = z.infer<typeof PaymentCapturedSchema>;

export type { PaymentCaptured };
export { PaymentCapturedSchema };
