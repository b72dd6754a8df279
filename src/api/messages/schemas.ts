import { z } from 'zod';
import type { CountryCode } from 'libphonenumber-js/max';
import type { MessageCreateInput } from '../../types/message-input';
import { pageQuerySchema } from '../pagination';
import { interactiveSchema } from '../../providers/d360/interactive-schema';
import { idSchema, phoneNumberSchema, text, timestampSchema } from '../schemas-common';
import { MEDIA_TYPES } from '../../media/media-types';

/** 360Dialog's media ids are digits; letters, dots and dashes are allowed in case that changes. */
export const mediaIdSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9._-]+$/, 'a media id as POST /media/ returns it');

export const MAX_TEXT_LENGTH = 4096;
export const MAX_CAPTION_LENGTH = 1024;
/**
 * template.components as JSON: a real template's parameters are a few hundred bytes; this stops megabyte rows per
 * message.
 */
export const MAX_COMPONENTS_BYTES = 16 * 1024;

export const templateSchema = z
  .object({
    name: z
      .string()
      .min(1)
      .max(512)
      .regex(/^[a-z0-9_]+$/, 'template names use lower-case letters, digits and _'),
    language: z
      .string()
      .min(2)
      .max(15)
      .regex(/^[a-z]{2,3}(_[A-Za-z]{2,4})?$/, 'a language code such as en or en_US'),
    components: z
      .array(z.record(z.string(), z.unknown()))
      .max(20)
      .refine(
        (components) => Buffer.byteLength(JSON.stringify(components)) <= MAX_COMPONENTS_BYTES,
        `must be at most ${MAX_COMPONENTS_BYTES / 1024} KB as JSON`,
      )
      .optional(),
  })
  .strict()
  .meta({ id: 'Template', description: 'An approved WhatsApp template; required outside the 24-hour window' });

export const mediaSchema = z
  .object({
    type: z.enum(MEDIA_TYPES),
    link: z
      .url({ protocol: /^https?$/ })
      .max(2048)
      .optional()
      .meta({ description: 'a public http(s) URL WhatsApp fetches' }),
    id: mediaIdSchema.optional().meta({ description: 'a media id from POST /media/ (instead of link)' }),
    caption: text(MAX_CAPTION_LENGTH)
      .optional()
      .meta({ description: 'not sent with audio and stickers (WhatsApp has none)' }),
    filename: text(240).optional(),
  })
  .strict()
  .superRefine((media, ctx) => {
    if ((media.link === undefined) === (media.id === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['link'], message: 'give exactly one of link or id' });
    }
  })
  .meta({ id: 'Media' });

export const messageCreateSchema = (defaultRegion?: CountryCode) =>
  z
    .object({
      phone_number: phoneNumberSchema(defaultRegion).optional(),
      contact_id: idSchema.optional(),
      group_id: idSchema.optional().meta({
        description:
          'Broadcast to every member who has not opted out: one parent message, one child delivery per member',
      }),
      segment_id: idSchema.optional().meta({
        description: "Broadcast to the segment's members as they are at send time, skipping opted-out people",
      }),
      message: text(MAX_TEXT_LENGTH).min(1, 'must not be empty').optional(),
      template: templateSchema.optional(),
      media: mediaSchema.optional(),
      interactive: interactiveSchema.optional(),
      scheduled_at: timestampSchema.optional().meta({ description: 'ISO 8601 with offset; absent means send now' }),
      fallback_template: templateSchema.optional().meta({
        description:
          "free text or media only: sent instead when the customer's 24-hour service window is closed at send time",
      }),
    })
    .strict()
    .superRefine((body, ctx) => {
      const recipients = ['phone_number', 'contact_id', 'group_id', 'segment_id'].filter(
        (key) => body[key as keyof typeof body] !== undefined,
      );
      if (recipients.length !== 1) {
        ctx.addIssue({
          code: 'custom',
          path: ['phone_number'],
          message: 'give exactly one of phone_number, contact_id, group_id or segment_id',
        });
      }
      const contents = ['message', 'template', 'media', 'interactive'].filter(
        (key) => body[key as keyof typeof body] !== undefined,
      );
      if (contents.length !== 1) {
        ctx.addIssue({
          code: 'custom',
          path: ['message'],
          message: 'give exactly one of message, template, media or interactive',
        });
      }
      if (body.fallback_template && body.template) {
        ctx.addIssue({
          code: 'custom',
          path: ['fallback_template'],
          message: 'only free text and media need a fallback; a template is sent as it is',
        });
      }
    })
    .meta({ id: 'MessageInput' }) satisfies z.ZodType<MessageCreateInput>;

export type { MessageCreateInput };

export const messagePatchSchema = z
  .object({ scheduled_at: timestampSchema })
  .strict()
  .meta({ id: 'MessageReschedule' });

export const MESSAGE_STATUSES = [
  'scheduled',
  'sending',
  'sent',
  'delivered',
  'read',
  'cancelled',
  'failed',
  'received',
  'deferred',
] as const;

export const messageListQuerySchema = pageQuerySchema.extend({
  status: z.enum(MESSAGE_STATUSES).optional(),
  direction: z
    .enum(['outbound', 'inbound'])
    .default('outbound')
    .meta({ description: 'inbound lists what customers sent' }),
  contact_id: z.coerce.number().int().positive().optional(),
  parent_id: z.coerce
    .number()
    .int()
    .positive()
    .optional()
    .meta({ description: "a broadcast's deliveries; without it only top-level messages are listed" }),
});

export const messageSchema = z
  .object({
    id: z.number().int(),
    phone_number: z.string().nullable(),
    contact_id: z.number().int().nullable(),
    direction: z.enum(['outbound', 'inbound']),
    type: z.string().meta({
      description:
        "outbound: text, template, media or interactive; inbound: WhatsApp's type (text, image, button, ...)",
    }),
    message: z.string().nullable(),
    template: templateSchema.nullable(),
    media: z
      .object({
        type: z.enum(MEDIA_TYPES),
        link: z.string().optional(),
        id: z.string().optional().meta({ description: 'inbound: fetch the file with GET /whatsapp/{id}/media' }),
        caption: z.string().optional(),
        filename: z.string().optional(),
        mime_type: z.string().optional().meta({ description: 'inbound: as WhatsApp reports it' }),
        sha256: z.string().optional(),
      })
      .nullable()
      .meta({ id: 'MessageMedia' }),
    interactive: interactiveSchema.nullable(),
    reply: z.object({ id: z.string(), title: z.string().nullable() }).nullable().meta({
      description:
        "inbound taps: the id of the chosen reply button or list row (or a template quick reply's payload) and its title",
    }),
    scheduled_at: z.string().nullable(),
    status: z.enum(MESSAGE_STATUSES).meta({
      description:
        'delivery only moves forward: sent, delivered, read; inbound messages are received; deferred: held back until scheduled_at, then sent by itself ' +
        '(`error.code` says why: template_paused, messaging_limit, marketing_cap_deferred, paused_red_quality); a deferred message can be cancelled',
    }),
    provider_message_id: z.string().nullable().meta({ description: 'the wamid WhatsApp gave the message' }),
    error: z.object({ code: z.string(), message: z.string() }).nullable().meta({
      description:
        "why it failed or is deferred: a stable code (ours or WhatsApp's) and a sentence a marketer understands",
    }),
    attempts: z.number().int(),
    sent_at: z.string().nullable(),
    delivered_at: z.string().nullable(),
    read_at: z.string().nullable(),
    failed_at: z.string().nullable(),
    sender: z
      .object({
        wa_id: z.string().nullable(),
        user_id: z.string().nullable(),
        name: z.string().nullable(),
        sent_at: z.string().nullable(),
      })
      .nullable()
      .meta({ description: 'inbound only: who wrote, and when WhatsApp says they did' }),
    reply_to_id: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'the inbound message this auto-reply or opt-out confirmation answers' }),
    auto_reply: z
      .object({ kind: z.enum(['rule', 'outside_hours', 'opt_out', 'opt_in']), rule_id: z.number().int().nullable() })
      .nullable(),
    created_at: z.string(),
    updated_at: z.string(),
    workflow_id: z.string(),
    kind: z.enum(['single', 'broadcast']),
    parent_id: z.number().int().nullable().meta({ description: 'the broadcast this delivery belongs to' }),
    group_id: z.number().int().nullable(),
    segment_id: z.number().int().nullable().meta({ description: 'broadcast: the segment it targets' }),
    retry_of_id: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'broadcast: the broadcast whose retryable failures this one re-sends' }),
    recipient_count: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'broadcast: deliveries written at its time (null before)' }),
    counts: z.record(z.string(), z.number().int()).nullable().meta({
      description:
        'broadcast: deliveries per state (scheduled, sending, sent, delivered, read, failed, cancelled), plus fallback (sent the fallback_template) and skipped (closed 24-hour window)',
    }),
    fallback_template: templateSchema.nullable(),
    fallback_used: z.boolean().meta({
      description: "the customer's 24-hour window was closed at send time, so fallback_template was sent instead",
    }),
    warnings: z.array(z.object({ code: z.string(), message: z.string() })).meta({
      description:
        'what WhatsApp will probably refuse, said when the message was accepted (e.g. outside_service_window_warning)',
    }),
  })
  .meta({ id: 'Message' });
