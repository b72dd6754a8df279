import type { EventType } from '../event-webhooks/event-types';

/** A validated POST /event-subscriptions/ body (api/event-subscriptions/schemas.ts is checked to produce it). */
export interface SubscriptionCreateInput {
  /** http(s); private addresses were refused unless allowed by configuration. */
  url: string;
  /** At least one, none twice. */
  events: EventType[];
  description?: string;
}
