import { z } from 'zod';
import { EVENT_TYPES } from '../../event-webhooks/event-types';
import { pageQuerySchema } from '../pagination';
import { text } from '../schemas-common';
import type { SubscriptionCreateInput } from '../../types/subscription-input';

export const subscriptionCreateSchema = z
  .object({
    url: text(2048).meta({
      description:
        'http(s); private, loopback and link-local addresses are refused unless EVENT_WEBHOOKS_ALLOW_PRIVATE=true',
    }),
    events: z
      .array(z.enum(EVENT_TYPES))
      .min(1)
      .max(EVENT_TYPES.length)
      .refine((events) => new Set(events).size === events.length, 'lists an event twice'),
    description: text(500).optional(),
  })
  .strict()
  .meta({ id: 'EventSubscriptionInput' }) satisfies z.ZodType<SubscriptionCreateInput>;

export const subscriptionListQuerySchema = pageQuerySchema;

export const subscriptionSchema = z
  .object({
    id: z.number().int(),
    url: z.string(),
    events: z.array(z.enum(EVENT_TYPES)),
    description: z.string().nullable(),
    active: z.boolean(),
    disabled_reason: z
      .string()
      .nullable()
      .meta({ description: 'Why deliveries stopped: every attempt failed for 24 hours' }),
    failing_since: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
    workflow_id: z.string(),
  })
  .meta({ id: 'EventSubscription' });

export const subscriptionCreatedSchema = subscriptionSchema
  .extend({
    secret: z
      .string()
      .meta({ description: 'Signs every delivery (Wa-Signature). Shown only in this response: store it now.' }),
  })
  .meta({ id: 'EventSubscriptionCreated' });

export const deliverySchema = z
  .object({
    id: z.number().int(),
    event_id: z.string().meta({ description: 'Also sent as the Wa-Event-Id header; the same on every attempt' }),
    type: z.enum(EVENT_TYPES),
    status: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.number().int(),
    response_code: z
      .number()
      .int()
      .nullable()
      .meta({ description: "The subscriber's last HTTP status (null: no answer)" }),
    latency_ms: z.number().int().nullable(),
    last_error: z.string().nullable(),
    next_retry_at: z.string().nullable().meta({ description: 'While pending: when the next attempt is due' }),
    delivered_at: z.string().nullable(),
    created_at: z.string(),
  })
  .meta({ id: 'EventDelivery' });

const messageRef = z.object({
  id: z.number().int(),
  phone_number: z.string().nullable(),
  contact_id: z.number().int().nullable(),
});

/** The contact as it is after the change, in every contact event. */
const contactRef = z
  .object({
    id: z.number().int(),
    phone_number: z.string().nullable(),
    name: z.string(),
    email: z.string().nullable(),
    tags: z.array(z.string()),
    group_id: z.number().int().nullable(),
    source: z.enum(['api', 'wordpress', 'whatsapp', 'csv']),
    opted_out: z.boolean(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'EventContact' });

/** The JSON body of every delivery; `data` depends on `type`. */
export const eventEnvelopeSchema = z
  .object({
    id: z.string().meta({ description: 'Unique per event; deduplicate on it (deliveries are at least once)' }),
    type: z.enum(EVENT_TYPES),
    created_at: z.string(),
    data: z.union([
      z
        .object({
          message: messageRef.extend({
            type: z.string(),
            text: z.string().nullable(),
            reply: z.object({ id: z.string(), title: z.string().nullable() }).nullable(),
            provider_message_id: z.string(),
            received_at: z.string().nullable(),
          }),
        })
        .meta({ description: 'message.received' }),
      z
        .object({
          message: messageRef.extend({
            status: z.enum(['sent', 'delivered', 'read', 'failed']),
            previous_status: z.string(),
            provider_message_id: z.string().nullable(),
            error: z.object({ code: z.string(), message: z.string() }).nullable(),
          }),
        })
        .meta({ description: 'message.status_changed' }),
      z.object({ contact: contactRef }).meta({ description: 'contact.created, contact.opted_out, contact.opted_in' }),
      z
        .object({
          contact: contactRef,
          changed: z
            .array(z.enum(['name', 'phone_number', 'email', 'tags', 'group_id']))
            .meta({ description: 'the fields whose value moved' }),
        })
        .meta({ description: 'contact.updated' }),
      z
        .object({
          broadcast: z.object({
            id: z.number().int(),
            status: z.enum(['sent', 'failed']),
            group_id: z.number().int().nullable(),
            recipient_count: z.number().int().nullable(),
            counts: z.record(z.string(), z.number().int()),
          }),
        })
        .meta({ description: 'broadcast.finished' }),
      z
        .object({
          sync: z.object({
            id: z.number().int(),
            status: z.enum(['succeeded', 'failed']),
            error: z.string().nullable(),
            counts: z
              .object({
                fetched: z.number().int(),
                created: z.number().int(),
                updated: z.number().int(),
                unchanged: z.number().int(),
                skipped: z.number().int(),
              })
              .nullable(),
          }),
        })
        .meta({ description: 'sync.finished' }),
    ]),
  })
  .meta({
    id: 'EventEnvelope',
    description:
      'POSTed to each subscriber with headers Wa-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.body"> and Wa-Event-Id',
  });
