import { databaseActivities as db } from './activity-options';
import type { StatusEvent } from './inbound-definitions';

/**
 * One `statuses[]` event (workflow id `delivery-<wamid>-<status>`). Its own short workflow
 * rather than a signal to the send workflow: that one may be long finished (or, for a lost
 * send reply, not know its wamid), and the row lock already orders concurrent events.
 */
export async function deliveryStatus(event: StatusEvent): Promise<string> {
  return db.applyDeliveryStatus(event);
}
