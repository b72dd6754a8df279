import { z } from 'zod';
import type { CountryCode } from 'libphonenumber-js/max';
import { normalisePhone } from '../phone';

export { idSchema, text, timestampSchema } from '../validation/primitives';

export const phoneNumberSchema = (defaultRegion?: CountryCode) =>
  z
    .string()
    .max(64)
    .transform((raw, ctx) => {
      const phone = normalisePhone(raw, defaultRegion);
      if (!phone) {
        ctx.addIssue({
          code: 'custom',
          message: defaultRegion
            ? 'not a valid phone number'
            : 'not a valid phone number in international format (+ and country code), e.g. +4915112345678',
        });
        return z.NEVER;
      }
      return phone;
    })
    .meta({ description: 'E.164 after normalisation', example: '+4915112345678' });

export const errorResponseSchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  })
  .meta({ id: 'Error' });
