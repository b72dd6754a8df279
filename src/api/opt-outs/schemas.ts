import { z } from 'zod';
import type { CountryCode } from 'libphonenumber-js/max';
import { pageQuerySchema } from '../pagination';
import { phoneNumberSchema, text } from '../schemas-common';

export const optOutListQuerySchema = pageQuerySchema;

export const optOutRemoveSchema = (defaultRegion?: CountryCode) =>
  z
    .object({
      phone_number: phoneNumberSchema(defaultRegion),
      reason: text(500).trim().min(3, 'say why this number may be messaged again (at least 3 characters)'),
    })
    .meta({ id: 'OptOutRemoval' });

export const optOutSchema = z
  .object({
    phone_number: z.string().meta({ description: 'E.164' }),
    source: z.enum(['whatsapp', 'api', 'migration']).meta({
      description:
        'whatsapp: the person wrote STOP; api: a contact was marked opted out; migration: opted out before the list existed',
    }),
    created_at: z.string(),
  })
  .meta({ id: 'OptOut' });
