import { z } from 'zod';

/**
 * The WhatsApp Cloud API webhook as 360Dialog forwards it (360Dialog's WhatsApp Cloud API documentation).
 * Loose objects: Meta adds fields over time, and an unknown field must not cost us a message.
 */
const unixSeconds = z.union([z.string().regex(/^\d{1,12}$/), z.number().int().nonnegative()]).transform(String);

const inboundMessageSchema = z.looseObject({
  id: z.string().min(1).max(512),
  from: z.string().max(64).optional(),
  from_user_id: z.string().max(256).optional(),
  user_id: z.string().max(256).optional(),
  timestamp: unixSeconds,
  type: z.string().min(1).max(64),
});

const statusSchema = z.looseObject({
  id: z.string().min(1).max(512),
  status: z.string().min(1).max(64),
  timestamp: unixSeconds,
  recipient_id: z.string().max(256).optional(),
  biz_opaque_callback_data: z.string().max(512).optional(),
  errors: z
    .array(
      z.looseObject({
        code: z.union([z.number(), z.string()]).transform(String),
        title: z.string().optional(),
        message: z.string().optional(),
        error_data: z.looseObject({ details: z.string().optional() }).optional(),
      }),
    )
    .optional(),
});

const senderSchema = z.looseObject({
  wa_id: z.string().max(64).optional(),
  user_id: z.string().max(256).optional(),
  profile: z.looseObject({ name: z.string().max(512).optional() }).optional(),
});

const valueSchema = z.looseObject({
  metadata: z
    .looseObject({ display_phone_number: z.string().optional(), phone_number_id: z.string().optional() })
    .optional(),
  contacts: z.array(senderSchema).optional(),
  messages: z.array(inboundMessageSchema).optional(),
  statuses: z.array(statusSchema).optional(),
  errors: z.array(z.unknown()).optional(),
});

export const webhookBodySchema = z
  .looseObject({
    object: z.literal('whatsapp_business_account'),
    entry: z
      .array(
        z.looseObject({
          id: z.string().optional(),
          changes: z.array(z.looseObject({ field: z.string().min(1), value: valueSchema })),
        }),
      )
      .min(1),
  })
  .meta({ id: 'WhatsAppWebhook', description: "Meta's WhatsApp Cloud API webhook body, forwarded by 360Dialog" });

export type WebhookBody = z.output<typeof webhookBodySchema>;
export type WebhookValue = z.output<typeof valueSchema>;
export type WebhookInboundMessage = z.output<typeof inboundMessageSchema>;
