import { z } from 'zod';
import type { CountryCode } from 'libphonenumber-js/max';
import { pageQuerySchema } from '../pagination';
import { idSchema, phoneNumberSchema, text } from '../schemas-common';
import { tagSchema, tagsSchema } from '../../campaigns/tags';

export const contactWriteSchema = (defaultRegion?: CountryCode) =>
  z
    .object({
      name: text(200).trim().min(1, 'must not be empty'),
      phone_number: phoneNumberSchema(defaultRegion),
      email: z.email().max(320).nullish(),
      opted_out: z.boolean().optional(),
      tags: tagsSchema
        .optional()
        .meta({ description: "Replaces the contact's tags; lower-cased, duplicates merged, at most 50" }),
      group_id: idSchema.optional().meta({
        description:
          'Move the contact to this group (409 when it is full); new contacts without one join the oldest group with room',
      }),
    })
    .strict()
    .meta({ id: 'ContactInput' });

export const contactPatchSchema = (defaultRegion?: CountryCode) => contactWriteSchema(defaultRegion).partial();

export const contactListQuerySchema = pageQuerySchema.extend({
  search: text(200).optional(),
  tag: z
    .union([tagSchema, z.array(tagSchema).max(20)])
    .optional()
    .meta({ description: 'Only contacts carrying this tag; repeat for contacts carrying every one' }),
  format: z
    .enum(['json', 'csv'])
    .default('json')
    .meta({ description: 'csv streams every matching contact (no paging)' }),
});

export const contactSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    phone_number: z
      .string()
      .nullable()
      .meta({ description: 'null for a WhatsApp user known only by whatsapp_user_id' }),
    whatsapp_user_id: z
      .string()
      .nullable()
      .meta({ description: "WhatsApp's business-scoped user id (2026), when the sender has one" }),
    email: z.string().nullable(),
    source: z.enum(['api', 'wordpress', 'whatsapp', 'csv']),
    tags: z.array(z.string()),
    opted_out: z.boolean(),
    opted_out_at: z.string().nullable(),
    group_id: z.number().int().nullable(),
    service_window_ends_at: z.string().nullable().meta({
      description:
        '24 hours after their last message to us: until then free text and media reach them; after it only an approved template (null: they never wrote)',
    }),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'Contact' });
