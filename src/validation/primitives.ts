import { z } from 'zod';

/** Schema building blocks shared by the API and by inputs validated outside it (segment filters, 360Dialog bodies). */
export const idSchema = z.number().int().positive();

export const timestampSchema = z.iso.datetime({ offset: true }).meta({ example: '2026-11-27T10:00:00Z' });

// With the u flag this matches only a surrogate without its partner: JSON escapes allow it, UTF-8 cannot encode it.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** Text fields refuse NUL, which Postgres cannot store, and lone surrogates, which would be stored as U+FFFD. */
export const text = (max: number) =>
  z
    .string()
    .max(max)
    .refine((value) => !value.includes('\u0000'), 'must not contain NUL characters')
    .refine((value) => !LONE_SURROGATE.test(value), 'must be valid Unicode text (it contains a lone UTF-16 surrogate)');
