import { NotificationRequestedSchema } from './notification-requested.ts';
import { OrderPlacedSchema } from './order-placed.ts';
import { PaymentCapturedSchema } from './payment-captured.ts';
import { defineRegistry } from './registry.ts';

/**
 * The event types this deployment accepts. Their processors are webhook routes from configuration
 * (`EVENTPIPE_ROUTES`); a type may instead carry its own `process` function here.
 */
const eventTypes = defineRegistry({
  'order.placed': { dataSchema: OrderPlacedSchema },
  'payment.captured': { dataSchema: PaymentCapturedSchema },
  'notification.requested': { dataSchema: NotificationRequestedSchema },
});

export { eventTypes };
