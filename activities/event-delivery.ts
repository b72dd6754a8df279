import type { Knex } from 'knex';
import type { EventWebhookSettings } from '../src/config';
import { createEventDeliveriesRepository, type DeliveryWithEvent } from '../src/db/repositories/event-deliveries';
import { createEventSubscriptionsRepository, type EventSubscription } from '../src/db/repositories/event-subscriptions';
import { EVENT_ID_HEADER, SIGNATURE_HEADER, signPayload } from '../src/event-webhooks/signature';
import { postToCheckedUrl } from '../src/event-webhooks/pinned-post';
import type { DeliveryRound } from '../workflows/event-delivery-definitions';

/** Deliveries posted per round; a round is one activity. */
const EVENT_BATCH = 20;
/** A subscriber gets this long to answer each delivery. */
const EVENT_HTTP_TIMEOUT_MS = 10_000;
/** Retries back off exponentially up to this delay... */
const MAX_RETRY_DELAY_MS = 3_600_000;
/** ...and a subscription that has failed without a single success for this long is disabled. */
export const GIVE_UP_AFTER_MS = 24 * 3_600_000;

/** The JSON every subscriber receives: the same bytes are signed. */
export const eventBody = (d: DeliveryWithEvent) =>
  JSON.stringify({ id: d.event_id, type: d.type, created_at: d.event_created_at.toISOString(), data: d.data });

const retryDelay = (failures: number, baseMs: number) =>
  Math.min(baseMs * 2 ** Math.max(0, failures - 1), MAX_RETRY_DELAY_MS);

export function createEventDeliveryActivities({
  db,
  eventWebhooks,
}: {
  db: Knex;
  eventWebhooks: EventWebhookSettings;
}) {
  const subscriptions = createEventSubscriptionsRepository(db);
  const deliveries = createEventDeliveriesRepository(db);

  const post = (subscription: EventSubscription, delivery: DeliveryWithEvent) => {
    const body = eventBody(delivery);
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'wa-automation-webhooks',
      [SIGNATURE_HEADER]: signPayload(subscription.secret, body),
      [EVENT_ID_HEADER]: delivery.event_id,
    };
    return postToCheckedUrl(subscription.url, {
      headers,
      body,
      allowPrivate: eventWebhooks.allowPrivate,
      timeoutMs: EVENT_HTTP_TIMEOUT_MS,
    });
  };

  return {
    /** One round for one subscription: posts what is due, records each attempt, disables a subscription failing for
     * 24 h. */
    async deliverDueEvents(subscriptionId: number): Promise<DeliveryRound> {
      const subscription = await subscriptions.find(subscriptionId);
      if (!subscription?.active) return { stop: true };
      for (const delivery of await deliveries.due(subscriptionId, EVENT_BATCH)) {
        const outcome = await post(subscription, delivery);
        if (outcome.ok) {
          await subscriptions.markHealthy(subscriptionId);
          await deliveries.recordAttempt(delivery.id, { ...outcome, nextRetryAt: null });
          continue;
        }
        const failingSince = (await subscriptions.markFailing(subscriptionId)) ?? new Date();
        if (Date.now() - failingSince.getTime() >= GIVE_UP_AFTER_MS) {
          const reason = `disabled: every delivery failed for 24 hours since ${failingSince.toISOString()} (last: ${outcome.error})`;
          await deliveries.recordAttempt(delivery.id, { ...outcome, nextRetryAt: null });
          await subscriptions.disable(subscriptionId, reason);
          await deliveries.failPending(subscriptionId, reason);
          return { stop: true };
        }
        await deliveries.recordAttempt(delivery.id, {
          ...outcome,
          nextRetryAt: new Date(Date.now() + retryDelay(delivery.attempts + 1, eventWebhooks.retryBaseMs)),
        });
      }
      const next = await deliveries.nextDueAt(subscriptionId);
      return { stop: false, ...(next ? { nextDueInMs: Math.max(0, next.getTime() - Date.now()) } : {}) };
    },
  };
}
