import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import {
  deliverySchema,
  eventEnvelopeSchema,
  subscriptionCreatedSchema,
  subscriptionCreateSchema,
  subscriptionListQuerySchema,
  subscriptionSchema,
} from '../event-subscriptions/schemas';
import { pagedSchema } from '../pagination';
import { json, idParam, problem } from './openapi-parts';

/** Signed event webhooks out: subscriptions, their deliveries, and the payload every subscriber receives. */
export function registerEventSubscriptions(registry: OpenAPIRegistry): void {
  const tags = ['Event webhooks'];
  const about =
    'Each event is POSTed as an EventEnvelope with `Wa-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.body" keyed with the secret>` and ' +
    '`Wa-Event-Id` (deduplicate on it: delivery is at least once). Deliveries run in the Temporal workflow `event-subscription-<id>` on their own ' +
    'task queue, retried with exponential backoff; a subscription whose every delivery failed for 24 hours is disabled (`disabled_reason`).';
  registry.registerWebhook({
    method: 'post',
    path: 'event',
    operationId: 'receiveEvent',
    summary: 'What a subscriber receives for each event',
    tags,
    description: about,
    request: {
      headers: z.object({
        'Wa-Signature': z.string().meta({ example: 't=1764700000,v1=5257a869e7...' }),
        'Wa-Event-Id': z.string(),
      }),
      body: json(eventEnvelopeSchema, 'The event; `data` depends on `type`'),
    },
    responses: { 200: { description: 'Any 2xx within 10 s counts as delivered; anything else is retried' } },
  });
  registry.registerPath({
    method: 'get',
    path: '/event-subscriptions/',
    operationId: 'listEventSubscriptions',
    summary: 'List event webhook subscriptions',
    tags,
    request: { query: subscriptionListQuerySchema },
    responses: {
      200: json(pagedSchema(subscriptionSchema), 'A page of subscriptions, newest first'),
      400: problem('Invalid paging parameters'),
      401: problem('Missing or wrong API key (only when API_KEY is set)'),
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/event-subscriptions/',
    operationId: 'createEventSubscription',
    summary: 'Subscribe a URL to events; returns its signing secret once',
    tags,
    description: about,
    request: { body: json(subscriptionCreateSchema, 'Where to deliver and which events') },
    responses: {
      201: json(subscriptionCreatedSchema, 'Created; `secret` is never shown again'),
      400: problem('Invalid input, or a URL that is not http(s) or resolves to a private address (details name `url`)'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/event-subscriptions/{id}/',
    operationId: 'getEventSubscription',
    summary: 'One subscription (without its secret)',
    tags,
    request: { params: idParam },
    responses: { 200: json(subscriptionSchema, 'The subscription'), 404: problem('No such subscription') },
  });
  registry.registerPath({
    method: 'delete',
    path: '/event-subscriptions/{id}/',
    operationId: 'deleteEventSubscription',
    summary: 'Unsubscribe: deliveries stop',
    tags,
    request: { params: idParam },
    responses: { 204: { description: 'Deleted' }, 404: problem('No such subscription') },
  });
  registry.registerPath({
    method: 'get',
    path: '/event-subscriptions/{id}/deliveries/',
    operationId: 'listEventDeliveries',
    summary: "A subscription's deliveries: status, attempts, response code, latency, next retry",
    tags,
    request: { params: idParam, query: subscriptionListQuerySchema },
    responses: {
      200: json(pagedSchema(deliverySchema), 'A page of deliveries, newest first'),
      404: problem('No such subscription'),
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/event-subscriptions/{id}/deliveries/{deliveryId}/redeliver/',
    operationId: 'redeliverEvent',
    summary: 'Send one delivery again now',
    tags,
    request: { params: z.object({ id: z.string().regex(/^\d+$/), deliveryId: z.string().regex(/^\d+$/) }) },
    responses: {
      202: json(deliverySchema, 'Queued again (status pending)'),
      404: problem('No such subscription or delivery'),
      409: problem('The subscription is disabled: subscription_disabled'),
    },
  });
}
