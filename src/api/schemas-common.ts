import { z } from 'zod';
import type { CountryCode } from 'libphonenumber-js/max';
import { normalisePhone } from '../phone';

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

export const idSchema = z.number().int().positive();

export const timestampSchema = z.iso.datetime({ offset: true }).meta({ example: '2026-11-27T10:00:00Z' });

export const errorResponseSchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  })
  .meta({ id: 'Error' });

// With the u flag this matches only a surrogate without its partner: JSON escapes allow it, UTF-8 cannot encode it.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** Text fields refuse NUL, which Postgres cannot store, and lone surrogates, which would be stored as U+FFFD. */
export const text = (max: number) =>
  z
    .string()
    .max(max)
    .refine((value) => !value.includes('\u0000'), 'must not contain NUL characters')
    .refine((value) => !LONE_SURROGATE.test(value), 'must be valid Unicode text (it contains a lone UTF-16 surrogate)');
