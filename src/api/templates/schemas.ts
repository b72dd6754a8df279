import { z } from 'zod';
import { pageQuerySchema } from '../pagination';
import { text } from '../schemas-common';
import { placeholders } from '../../templates/parameters';
import type { TemplateCreateInput } from '../../types/template-input';

export const TEMPLATE_STATUSES = ['APPROVED', 'PENDING', 'REJECTED', 'PAUSED', 'DISABLED'] as const;
export const TEMPLATE_CATEGORIES = ['MARKETING', 'UTILITY', 'AUTHENTICATION'] as const;

const upper = <T extends readonly [string, ...string[]]>(values: T) =>
  z.string().max(32).toUpperCase().pipe(z.enum(values));
const languageSchema = z
  .string()
  .min(2)
  .max(15)
  .regex(/^[a-z]{2,3}(_[A-Za-z]{2,4})?$/, 'a language code such as en or en_US');

export const templateListQuerySchema = pageQuerySchema.extend({
  status: upper(TEMPLATE_STATUSES).optional(),
  category: upper(TEMPLATE_CATEGORIES).optional(),
  language: languageSchema.optional(),
  name: text(512).optional().meta({ description: 'part of the name' }),
});

const example = z
  .record(z.string(), z.unknown())
  .optional()
  .meta({ description: "Meta's example values for the placeholders (needed for review)" });

const headerSchema = z
  .object({
    type: z.literal('HEADER'),
    format: upper(['TEXT', 'IMAGE', 'VIDEO', 'DOCUMENT', 'LOCATION'] as const),
    text: text(60).optional(),
    example,
  })
  .strict()
  .refine((h) => h.format !== 'TEXT' || Boolean(h.text), { message: 'a TEXT header needs text', path: ['text'] })
  .refine((h) => placeholders(h.text).length <= 1, { message: 'a header takes at most one parameter', path: ['text'] });
const bodySchema = z.object({ type: z.literal('BODY'), text: text(1024).min(1), example }).strict();
const footerSchema = z.object({ type: z.literal('FOOTER'), text: text(60).min(1) }).strict();
const buttonSchema = z
  .object({
    type: upper(['QUICK_REPLY', 'URL', 'PHONE_NUMBER', 'COPY_CODE', 'OTP'] as const),
    text: text(25).optional(),
    url: z.string().max(2000).optional(),
    phone_number: z.string().max(20).optional(),
    example: z.unknown().optional(),
    otp_type: z.string().max(32).optional(),
  })
  .strict();
const buttonsSchema = z.object({ type: z.literal('BUTTONS'), buttons: z.array(buttonSchema).min(1).max(10) }).strict();

/** Numbered placeholders must run {{1}}, {{2}}, ... without gaps, as Meta requires. */
const numberedInOrder = (names: string[]) =>
  names.every((name, i) => name === String(i + 1)) || names.every((name) => !/^\d+$/.test(name));

export const templateCreateSchema = z
  .object({
    name: z
      .string()
      .min(1)
      .max(512)
      .regex(/^[a-z0-9_]+$/, 'template names use lower-case letters, digits and _'),
    language: languageSchema,
    category: upper(TEMPLATE_CATEGORIES),
    components: z
      .array(z.discriminatedUnion('type', [headerSchema, bodySchema, footerSchema, buttonsSchema]))
      .min(1)
      .max(4),
  })
  .strict()
  .superRefine((t, ctx) => {
    const types = t.components.map((c) => c.type);
    if (types.filter((type) => type === 'BODY').length !== 1)
      ctx.addIssue({ code: 'custom', path: ['components'], message: 'needs exactly one BODY component' });
    for (const type of ['HEADER', 'FOOTER', 'BUTTONS']) {
      if (types.filter((x) => x === type).length > 1)
        ctx.addIssue({ code: 'custom', path: ['components'], message: `at most one ${type} component` });
    }
    t.components.forEach((c, i) => {
      if (c.type === 'BODY' && !numberedInOrder(placeholders(c.text))) {
        ctx.addIssue({
          code: 'custom',
          path: ['components', i, 'text'],
          message: 'placeholders must be numbered {{1}}, {{2}}, ... in order, without gaps',
        });
      }
    });
  })
  .meta({
    id: 'TemplateInput',
    description: 'A new WhatsApp template, submitted to 360Dialog for Meta to review',
  }) satisfies z.ZodType<TemplateCreateInput>;

export const templateSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    language: z.string(),
    category: z.enum(TEMPLATE_CATEGORIES),
    status: z.string().meta({ description: 'APPROVED, PENDING, REJECTED, PAUSED or DISABLED' }),
    quality: z.string().nullable().meta({ description: 'GREEN, YELLOW or RED; null until Meta rates it' }),
    components: z.array(z.record(z.string(), z.unknown())),
    parameters: z
      .array(
        z.object({
          component: z.enum(['header', 'body', 'button']),
          index: z.number().int().optional(),
          count: z.number().int(),
        }),
      )
      .meta({
        description: 'how many parameters a send must give each component (components without parameters are left out)',
      }),
    rejected_reason: z.string().nullable(),
    synced_at: z.string(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'WhatsAppTemplate' });
