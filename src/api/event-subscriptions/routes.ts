import Router from '@koa/router';
import type { EventDeliveriesRepository } from '../../db/repositories/event-deliveries';
import type { EventSubscriptionsRepository } from '../../db/repositories/event-subscriptions';
import type { EventSubscriptionService } from '../../services/event-subscriptions';
import type { IdempotentRoute } from '../middleware/idempotency';
import { pageRequest, presentPage } from '../pagination';
import { findOr404, parseId, parseInput } from '../validate';
import { notFound } from '../../errors';
import { presentDelivery, presentSubscription } from './presenter';
import { subscriptionCreateSchema, subscriptionListQuerySchema } from './schemas';

/** Other systems subscribe to our events; each delivery is signed with the subscription's secret. */
export function eventSubscriptionsRouter(
  subscriptions: EventSubscriptionsRepository,
  deliveries: EventDeliveriesRepository,
  service: EventSubscriptionService,
  idempotent: IdempotentRoute,
): Router {
  const router = new Router({ prefix: '/event-subscriptions' });
  const load = (rawId: string | undefined) => findOr404(rawId, (id) => subscriptions.find(id), 'event subscription');

  router.get('/', async (ctx) => {
    const request = pageRequest(parseInput(subscriptionListQuerySchema, ctx.query));
    ctx.body = presentPage(ctx, await subscriptions.list(request), request, presentSubscription);
  });

  router.post('/', idempotent('/event-subscriptions/'), async (ctx) => {
    const created = await service.create(parseInput(subscriptionCreateSchema, ctx.request.body));
    ctx.status = 201;
    ctx.body = { ...presentSubscription(created), secret: created.secret };
  });

  router.get('/:id', async (ctx) => {
    ctx.body = presentSubscription(await load(ctx.params.id));
  });

  router.delete('/:id', async (ctx) => {
    await service.remove((await load(ctx.params.id)).id);
    ctx.status = 204;
  });

  router.get('/:id/deliveries', async (ctx) => {
    const subscription = await load(ctx.params.id);
    const request = pageRequest(parseInput(subscriptionListQuerySchema, ctx.query));
    ctx.body = presentPage(ctx, await deliveries.list(subscription.id, request), request, presentDelivery);
  });

  router.post('/:id/deliveries/:deliveryId/redeliver', async (ctx) => {
    const subscription = await load(ctx.params.id);
    const deliveryId = parseId(ctx.params.deliveryId);
    if (!deliveryId) throw notFound('delivery');
    ctx.status = 202;
    ctx.body = presentDelivery(await service.redeliver(subscription, deliveryId));
  });

  return router;
}
