import * as z from 'zod/mini';
import '../config/zod-locale.ts';

/** Built once: constructing a schema per record costs more than checking with it. */
const EmailSchema = z.email();

/**
 * `notification.requested`: send a message to a customer on one channel.
 *
 * ```json
 * { "notificationId": "n-9", "recipient": "ada@example.com", "channel": "email",
 *   "template": "order-confirmation", "variables": { "orderId": "o-1001" } }
 * ```
 */
const NotificationRequestedSchema = z
  .object({
    notificationId: z.string().check(z.minLength(1), z.maxLength(64)),
    channel: z.enum(['email', 'sms', 'push']),
    recipient: z.string().check(z.minLength(1), z.maxLength(320)),
    template: z.string().check(z.regex(/^[a-z0-9-]{1,64}$/)),
    variables: z._default(
      z.record(z.string().check(z.maxLength(64)), z.string().check(z.maxLength(1024))),
      {},
    ),
  })
  .check(
    z.refine((n) => n.channel !== 'email' || EmailSchema.safeParse(n.recipient).success, {
      message: 'an email notification needs an email address',
      path: ['recipient'],
    }),
  );

type NotificationRequested = z.infer<typeof NotificationRequestedSchema>;

export type { NotificationRequested };
export { NotificationRequestedSchema };
