import { z } from 'zod';
import type { CountryCode } from 'libphonenumber-js/max';
import { pageQuerySchema } from '../pagination';
import { idSchema, phoneNumberSchema, text, timestampSchema } from '../schemas-common';

export const MAX_TEXT_LENGTH = 4096;
export const MAX_CAPTION_LENGTH = 1024;

const templateSchema = z
  .object({
    name: z.string().min(1).max(512).regex(/^[a-z0-9_]+$/, 'template names use lower-case letters, digits and _'),
    language: z.string().min(2).max(15).regex(/^[a-z]{2,3}(_[A-Za-z]{2,4})?$/, 'a language code such as en or en_US'),
    components: z.array(z.record(z.string(), z.unknown())).max(20).optional(),
  })
  .strict()
  .meta({ id: 'Template', description: 'An approved WhatsApp template; required outside the 24-hour window' });

const mediaSchema = z
  .object({
    type: z.enum(['image', 'document', 'video', 'audio']),
    link: z.url({ protocol: /^https?$/ }).max(2048),
    caption: text(MAX_CAPTION_LENGTH).optional(),
    filename: text(240).optional(),
  })
  .strict()
  .meta({ id: 'Media' });

export const messageCreateSchema = (defaultRegion?: CountryCode) =>
  z
    .object({
      phone_number: phoneNumberSchema(defaultRegion).optional(),
      contact_id: idSchema.optional(),
      message: text(MAX_TEXT_LENGTH).min(1, 'must not be empty').optional(),
      template: templateSchema.optional(),
      media: mediaSchema.optional(),
      scheduled_at: timestampSchema.optional().meta({ description: 'ISO 8601 with offset; absent means send now' }),
    })
    .strict()
    .superRefine((body, ctx) => {
      const recipients = ['phone_number', 'contact_id'].filter((key) => body[key as keyof typeof body] !== undefined);
      if (recipients.length !== 1) {
        ctx.addIssue({ code: 'custom', path: ['phone_number'], message: 'give exactly one of phone_number or contact_id' });
      }
      const contents = ['message', 'template', 'media'].filter((key) => body[key as keyof typeof body] !== undefined);
      if (contents.length !== 1) {
        ctx.addIssue({ code: 'custom', path: ['message'], message: 'give exactly one of message, template or media' });
      }
    })
    .meta({ id: 'MessageInput' });

export type MessageCreateInput = z.output<ReturnType<typeof messageCreateSchema>>;

export const messagePatchSchema = z.object({ scheduled_at: timestampSchema }).strict().meta({ id: 'MessageReschedule' });

export const messageListQuerySchema = pageQuerySchema.extend({
  status: z.enum(['scheduled', 'sending', 'sent', 'cancelled', 'failed']).optional(),
  contact_id: z.coerce.number().int().positive().optional(),
});

export const messageSchema = z
  .object({
    id: z.number().int(),
    phone_number: z.string(),
    contact_id: z.number().int().nullable(),
    type: z.enum(['text', 'template', 'media']),
    message: z.string().nullable(),
    template: templateSchema.nullable(),
    media: mediaSchema.nullable(),
    scheduled_at: z.string().nullable(),
    status: z.enum(['scheduled', 'sending', 'sent', 'cancelled', 'failed']),
    provider_message_id: z.string().nullable().meta({ description: 'the wamid WhatsApp gave the message' }),
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
    attempts: z.number().int(),
    sent_at: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
    workflow_id: z.string(),
  })
  .meta({ id: 'Message' });
