import type { DeliveryWithEvent } from '../../db/repositories/event-deliveries';
import type { EventSubscription } from '../../db/repositories/event-subscriptions';
import { eventSubscriptionWorkflowId } from '../../../workflows/event-delivery-definitions';
import { iso } from '../contacts/presenter';

/** Never the secret: it is shown once, by the create route. */
export const presentSubscription = (s: EventSubscription) => ({
  id: s.id,
  url: s.url,
  events: s.events,
  description: s.description,
  active: s.active,
  disabled_reason: s.disabled_reason,
  failing_since: iso(s.failing_since),
  created_at: s.created_at.toISOString(),
  updated_at: s.updated_at.toISOString(),
  workflow_id: eventSubscriptionWorkflowId(s.id),
});

export const presentDelivery = (d: DeliveryWithEvent) => ({
  id: d.id,
  event_id: d.event_id,
  type: d.type,
  status: d.status,
  attempts: d.attempts,
  response_code: d.response_code,
  latency_ms: d.latency_ms,
  last_error: d.last_error,
  next_retry_at: d.status === 'pending' ? d.next_retry_at.toISOString() : null,
  delivered_at: iso(d.delivered_at),
  created_at: d.created_at.toISOString(),
});
