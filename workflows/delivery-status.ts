import { databaseActivities as db } from './activity-options';
import type { StatusEvent } from './inbound-definitions';

/**
 * Deprecated, started by nothing since the webhook inbox: delivery statuses are
 * applied in batches by the API's inbox processor, with no workflow per status. Still
 * registered for one release so that `delivery-<wamid>-<status>` workflows already running
 * when the upgrade lands (seconds old, or retrying through a database outage) can finish;
 * remove it (and the applyDeliveryStatus activity) in the release after.
 */
export async function deliveryStatusWorkflow(event: StatusEvent): Promise<string> {
  return db.applyDeliveryStatus(event);
}
