import { z } from 'zod';
import { tagSchema } from '../../campaigns/tags';
import { text } from '../schemas-common';

const column = (fallback: string) =>
  text(100)
    .trim()
    .min(1)
    .default(fallback)
    .meta({ description: `Header of the column (default ${fallback}, any case)` });

export const importQuerySchema = z
  .object({
    name_column: column('name'),
    phone_column: column('phone_number'),
    email_column: column('email'),
    tags_column: column('tags'),
    region: z
      .string()
      .regex(/^[A-Za-z]{2}$/, 'a two-letter country code such as DE')
      .transform((r) => r.toUpperCase())
      .optional()
      .meta({ description: 'Country for numbers without + (default DEFAULT_PHONE_REGION)' }),
    tag: z
      .union([tagSchema, z.array(tagSchema).max(20)])
      .optional()
      .meta({ description: 'Tags every imported contact gets; repeat for several' }),
  })
  .strict();

const rowError = z.object({
  row: z.number().int().meta({ description: '1-based line of the record, the header being row 1' }),
  column: z.string().nullable(),
  reason: z.string(),
});

export const contactImportSchema = z
  .object({
    id: z.number().int(),
    status: z.enum(['running', 'completed', 'failed']),
    rows_total: z.number().int().meta({ description: 'Data rows read so far (the header not counted)' }),
    created: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    failed: z.number().int(),
    error_count: z.number().int(),
    errors: z.array(rowError).meta({ description: 'The first 1,000 row errors' }),
    file_sha256: z.string().nullable(),
    options: z.record(z.string(), z.unknown()),
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
    created_at: z.string(),
    finished_at: z.string().nullable(),
  })
  .meta({ id: 'ContactImport' });
