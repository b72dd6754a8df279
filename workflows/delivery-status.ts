import { proxyActivities, type RetryPolicy } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { StatusEvent } from './inbound-definitions';

const DATABASE_RETRY: RetryPolicy = { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1 minute' };

const db = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds', retry: DATABASE_RETRY });

/**
 * One `statuses[]` event (workflow id `delivery-<wamid>-<status>`). Its own short workflow
 * rather than a signal to the send workflow: that one may be long finished (or, for a lost
 * send reply, not know its wamid), and the row lock already orders concurrent events.
 */
export async function deliveryStatus(event: StatusEvent): Promise<string> {
  return db.applyDeliveryStatus(event);
}
