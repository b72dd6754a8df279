import { z } from 'zod';
import type { CountryCode } from 'libphonenumber-js/max';
import { phoneNumberSchema, text } from '../schemas-common';
import { tagsSchema } from '../../campaigns/tags';
import { contactSchema } from '../contacts/schemas';

const reference = z.union([text(100), z.number().int().nonnegative()]).transform(String);

/** One form submission, as the PHP hooks in docs/wordpress.md send it; other keys are ignored. */
export const wordpressLeadSchema = (defaultRegion?: CountryCode) =>
  z
    .object({
      phone: phoneNumberSchema(defaultRegion).meta({ description: 'E.164, or national with DEFAULT_PHONE_REGION' }),
      name: text(200).trim().optional(),
      first_name: text(100).trim().optional(),
      last_name: text(100).trim().optional(),
      email: z
        .email()
        .max(320)
        .optional()
        .or(z.literal('').transform(() => undefined)),
      tags: tagsSchema.optional(),
      form_id: reference
        .optional()
        .meta({ description: 'The form the entry came from; a tag when WORDPRESS_FIELD_TAGS names form_id' }),
      entry_id: reference.optional().meta({ description: "The entry's id in WordPress: the contact's external id" }),
      source: text(200)
        .trim()
        .optional()
        .meta({ description: 'The landing page or form name; a tag when WORDPRESS_FIELD_TAGS names source' }),
      submitted_at: z.iso
        .datetime({ offset: true })
        .optional()
        .meta({ description: 'When the form was submitted; default now' }),
    })
    .meta({ id: 'WordPressLead' });

export type WordPressLeadInput = z.output<ReturnType<typeof wordpressLeadSchema>>;

export const wordpressLeadAcceptedSchema = z
  .object({
    outcome: z.enum(['created', 'updated', 'unchanged', 'older_than_contact', 'duplicate_phone']),
    contact: contactSchema,
  })
  .meta({ id: 'WordPressLeadAccepted' });
