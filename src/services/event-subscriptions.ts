import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Knex } from 'knex';
import { eventSubscriptionWorkflowId } from '../../workflows/event-delivery-definitions';
import type { SubscriptionCreateInput } from '../types/subscription-input';
import type { EventWebhookSettings } from '../config';
import { createEventDeliveriesRepository, type DeliveryWithEvent } from '../db/repositories/event-deliveries';
import { createEventSubscriptionsRepository, type EventSubscription } from '../db/repositories/event-subscriptions';
import { conflict, fieldError, notFound } from '../errors';
import { newSigningSecret } from '../event-webhooks/signature';
import { urlProblem } from '../event-webhooks/url-guard';
import type { Logger } from '../logger';
import { eventDeliveryWakeStart } from '../temporal/workflow-starts';
import type { OutboxSignal } from './outbox-signals';

export interface EventSubscriptionServiceDeps {
  db: Knex;
  temporal: Client;
  taskQueue: string;
  settings: EventWebhookSettings;
  logger: Logger;
  signal: OutboxSignal;
  wakeOutbox: () => void;
}

/**
 * Subscriptions and their delivery workflow (`event-subscription-<id>`): its start commits with
 * the row (the outbox), and it ends with it.
 */
export function createEventSubscriptionService({
  db,
  temporal,
  taskQueue,
  settings,
  logger,
  signal,
  wakeOutbox,
}: EventSubscriptionServiceDeps) {
  const subscriptions = createEventSubscriptionsRepository(db);
  const deliveries = createEventDeliveriesRepository(db);

  /** Starts the workflow if it is not running, and wakes it (through the outbox). */
  const wake = (id: number, trx?: Knex.Transaction) => signal(eventDeliveryWakeStart(id, taskQueue), trx);

  return {
    async create(input: SubscriptionCreateInput): Promise<EventSubscription> {
      const problem = await urlProblem(input.url, { allowPrivate: settings.allowPrivate });
      if (problem) throw fieldError('url', problem);
      const row = await db.transaction(async (trx) => {
        const created = await createEventSubscriptionsRepository(trx).create({
          url: input.url,
          events: input.events,
          description: input.description ?? null,
          secret: newSigningSecret(),
        });
        await wake(created.id, trx);
        return created;
      });
      wakeOutbox();
      return row;
    },

    async remove(id: number): Promise<void> {
      if (!(await subscriptions.remove(id))) throw notFound('event subscription');
      try {
        await temporal.workflow.getHandle(eventSubscriptionWorkflowId(id)).terminate('subscription deleted');
      } catch (err) {
        // The workflow also ends by itself at its next round, finding the row gone.
        if (!(err instanceof WorkflowNotFoundError))
          logger.warn({ err, id }, 'event subscription deleted; its workflow ends at its next round');
      }
    },

    async redeliver(subscription: EventSubscription, deliveryId: number): Promise<DeliveryWithEvent> {
      if (!subscription.active)
        throw conflict(
          'subscription_disabled',
          `the subscription is disabled (${subscription.disabled_reason ?? 'no reason recorded'})`,
        );
      const delivery = await deliveries.find(subscription.id, deliveryId);
      if (!delivery) throw notFound('delivery');
      await deliveries.redeliver(delivery.id);
      await wake(subscription.id);
      return (await deliveries.find(subscription.id, deliveryId)) as DeliveryWithEvent;
    },
  };
}

export type EventSubscriptionService = ReturnType<typeof createEventSubscriptionService>;
