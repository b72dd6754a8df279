import type { InboundEvent, StatusEvent } from '../../workflows/inbound-definitions';

/** What one 360Dialog webhook body holds, read by api/webhooks/events.ts and dispatched by services/webhooks.ts. */
export interface WebhookEvents {
  messages: InboundEvent[];
  statuses: StatusEvent[];
  /** How many entries we accept but do not act on: counts only, their content is not kept (nor logged). */
  ignored: { unknownStatuses: number; errors: number };
}

export const ignoredCount = (events: WebhookEvents) => events.ignored.unknownStatuses + events.ignored.errors;
