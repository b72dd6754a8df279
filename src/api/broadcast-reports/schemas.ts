import { z } from 'zod';
import { MESSAGE_STATUSES } from '../messages/schemas';
import { pageQuerySchema } from '../pagination';
import { text } from '../schemas-common';

export const recipientListQuerySchema = pageQuerySchema.extend({
  state: z.enum(MESSAGE_STATUSES).optional().meta({ description: 'Only deliveries in this state' }),
  error_code: text(64).optional().meta({ description: 'Only deliveries that failed with this code, e.g. 131026' }),
  format: z
    .enum(['json', 'csv'])
    .default('json')
    .meta({ description: 'csv streams every matching delivery (no paging)' }),
});

const when = z.string().nullable();

export const recipientSchema = z
  .object({
    message_id: z.number().int(),
    contact: z.object({
      id: z.number().int().nullable(),
      name: z.string().nullable(),
      phone_number: z.string().nullable(),
    }),
    state: z.enum(MESSAGE_STATUSES),
    scheduled_at: when.meta({ description: "The broadcast's time (its creation when sent at once)" }),
    sent_at: when,
    delivered_at: when,
    read_at: when,
    failed_at: when,
    error: z
      .object({ code: z.string(), message: z.string(), explanation: z.string(), retryable: z.boolean() })
      .nullable()
      .meta({ description: 'retryable: POST /whatsapp/{id}/retry/ would send to this recipient again' }),
    replied_within_24h: z.boolean(),
  })
  .meta({ id: 'BroadcastRecipient' });

const latency = z.object({
  count: z.number().int(),
  p50_seconds: z.number().nullable(),
  p90_seconds: z.number().nullable(),
  p99_seconds: z.number().nullable(),
});

export const reportSchema = z
  .object({
    message_id: z.number().int(),
    status: z.string(),
    recipient_count: z.number().int().nullable(),
    total: z.number().int(),
    counts: z.record(z.string(), z.number().int()),
    rates: z
      .object({
        sent: z.number().nullable(),
        delivered: z.number().nullable(),
        read: z.number().nullable(),
        failed: z.number().nullable(),
        replied: z.number().nullable(),
      })
      .meta({
        description:
          'Fractions 0-1 of all deliveries (replied: of those that reached WhatsApp); a read delivery counts as delivered and sent',
      }),
    replied: z.number().int(),
    failures: z.array(
      z.object({ code: z.string(), count: z.number().int(), explanation: z.string(), retryable: z.boolean() }),
    ),
    retryable_failures: z.number().int(),
    time_to_delivered: latency,
    time_to_read: latency,
    sends_per_minute: z.array(z.object({ minute: z.string(), sent: z.number().int() })),
  })
  .meta({ id: 'BroadcastReport' });
