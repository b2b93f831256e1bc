import * as z from 'zod';

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
    notificationId: z.string().min(1).max(64),
    channel: z.enum(['email', 'sms', 'push']),
    recipient: z.string().min(1).max(320),
    template: z.string().regex(/^[a-z0-9-]{1,64}$/),
    variables: z.record(z.string().max(64), z.string().max(1024)).default({}),
  })
  .refine((n) => n.channel !== 'email' || EmailSchema.safeParse(n.recipient).success, {
    message: 'an email notification needs an email address',
    path: ['recipient'],
  });

type NotificationRequested = z.infer<typeof NotificationRequestedSchema>;

export type { NotificationRequested };
export { NotificationRequestedSchema };
