import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Knex } from 'knex';
import { eventSubscriptionWorkflowId, wakeSignal } from '../../workflows/event-delivery-definitions';
import type { SubscriptionCreateInput } from '../api/event-subscriptions/schemas';
import type { EventWebhookSettings } from '../config';
import { createEventDeliveriesRepository, type DeliveryWithEvent } from '../db/repositories/event-deliveries';
import { createEventSubscriptionsRepository, type EventSubscription } from '../db/repositories/event-subscriptions';
import { conflict, fieldError, notFound } from '../errors';
import { newSigningSecret } from '../event-webhooks/signature';
import { urlProblem } from '../event-webhooks/url-guard';
import type { Logger } from '../logger';

export interface EventSubscriptionServiceDeps {
  db: Knex;
  temporal: Client;
  taskQueue: string;
  settings: EventWebhookSettings;
  logger: Logger;
}

/** Subscriptions and their delivery workflow (`event-subscription-<id>`), started with the row and ended with it. */
export function createEventSubscriptionService({ db, temporal, taskQueue, settings, logger }: EventSubscriptionServiceDeps) {
  const subscriptions = createEventSubscriptionsRepository(db);
  const deliveries = createEventDeliveriesRepository(db);

  /** Starts the workflow if it is not running, and wakes it. */
  const wake = (id: number) =>
    temporal.workflow.signalWithStart('eventDeliveryWorkflow', {
      workflowId: eventSubscriptionWorkflowId(id),
      taskQueue,
      args: [{ subscriptionId: id }],
      signal: wakeSignal,
      signalArgs: [],
    });

  return {
    async create(input: SubscriptionCreateInput): Promise<EventSubscription> {
      const problem = await urlProblem(input.url, { allowPrivate: settings.allowPrivate });
      if (problem) throw fieldError('url', problem);
      const row = await subscriptions.create({ url: input.url, events: input.events, description: input.description ?? null, secret: newSigningSecret() });
      try {
        await wake(row.id);
      } catch (err) {
        await subscriptions.remove(row.id);
        throw err;
      }
      return row;
    },

    async remove(id: number): Promise<void> {
      if (!(await subscriptions.remove(id))) throw notFound('event subscription');
      try {
        await temporal.workflow.getHandle(eventSubscriptionWorkflowId(id)).terminate('subscription deleted');
      } catch (err) {
        // The workflow also ends by itself at its next round, finding the row gone.
        if (!(err instanceof WorkflowNotFoundError)) logger.warn({ err, id }, 'event subscription deleted; its workflow ends at its next round');
      }
    },

    async redeliver(subscription: EventSubscription, deliveryId: number): Promise<DeliveryWithEvent> {
      if (!subscription.active) throw conflict('subscription_disabled', `the subscription is disabled (${subscription.disabled_reason ?? 'no reason recorded'})`);
      const delivery = await deliveries.find(subscription.id, deliveryId);
      if (!delivery) throw notFound('delivery');
      await deliveries.redeliver(delivery.id);
      await wake(subscription.id);
      return (await deliveries.find(subscription.id, deliveryId)) as DeliveryWithEvent;
    },
  };
}

export type EventSubscriptionService = ReturnType<typeof createEventSubscriptionService>;
