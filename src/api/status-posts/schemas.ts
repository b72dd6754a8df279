import { z } from 'zod';
import { STATUS_POST_STATES } from '../../db/repositories/status-posts';
import { MAX_TEXT_LENGTH, mediaSchema, templateSchema } from '../messages/schemas';
import { interactiveSchema } from '../../providers/d360/interactive-schema';
import type { StatusPostCreateInput } from '../../types/status-post-input';
import { pageQuerySchema } from '../pagination';
import { idSchema, text, timestampSchema } from '../schemas-common';

export const statusPostCreateSchema = z
  .object({
    text: text(MAX_TEXT_LENGTH)
      .trim()
      .min(1, 'must not be empty')
      .optional()
      .meta({ description: 'Required unless interactive is given' }),
    scheduled_at: timestampSchema.optional().meta({ description: 'ISO 8601 with offset; absent means publish now' }),
    media: mediaSchema.optional().meta({ description: 'Sent with the text as its caption (unless it has its own)' }),
    template: templateSchema.optional().meta({
      description:
        'An approved template, sent instead of the text: WhatsApp requires one for recipients outside the 24-hour window',
    }),
    interactive: interactiveSchema.optional().meta({
      description:
        "Reply buttons, a list or a CTA URL button, sent instead of the text (POST /whatsapp/'s limits); free-form, so only within 24 hours",
    }),
    group_ids: z
      .array(idSchema)
      .min(1)
      .max(1_000)
      .optional()
      .meta({ description: 'The audience; absent means every contact who has not opted out' }),
    segment_id: idSchema
      .optional()
      .meta({ description: "The audience instead of group_ids: the segment's members at publish time" }),
  })
  .strict()
  .refine((s) => !(s.group_ids && s.segment_id), {
    path: ['segment_id'],
    message: 'give group_ids or segment_id, not both',
  })
  .refine((s) => s.text !== undefined || s.interactive !== undefined, {
    path: ['text'],
    message: 'is required (unless interactive is given)',
  })
  .refine((s) => !(s.interactive && (s.template || s.media)), {
    path: ['interactive'],
    message: 'give interactive, template or media, not several',
  })
  .meta({ id: 'StatusInput' }) satisfies z.ZodType<StatusPostCreateInput>;

export type { StatusPostCreateInput };

export const statusPostListQuerySchema = pageQuerySchema.extend({ status: z.enum(STATUS_POST_STATES).optional() });

export const statusPostSchema = z
  .object({
    id: z.number().int(),
    text: z.string(),
    media: mediaSchema.nullable(),
    template: templateSchema.nullable(),
    interactive: interactiveSchema.nullable(),
    group_ids: z.array(z.number().int()).nullable().meta({ description: 'null: every contact who has not opted out' }),
    segment_id: z.number().int().nullable(),
    scheduled_at: z.string(),
    status: z.enum(STATUS_POST_STATES),
    message_id: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'The broadcast (GET /whatsapp/{id}/) that delivers it, once publishing began' }),
    recipient_count: z.number().int().nullable(),
    counts: z
      .record(z.string(), z.number().int())
      .nullable()
      .meta({ description: 'Deliveries per state: scheduled, sending, sent, delivered, read, failed, cancelled' }),
    published_at: z.string().nullable(),
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
    warnings: z.array(z.object({ code: z.string(), message: z.string() })).meta({
      description:
        'what WhatsApp will probably refuse, said when the status was accepted (e.g. outside_service_window_warning: how many recipients have a closed 24-hour window)',
    }),
    created_at: z.string(),
    updated_at: z.string(),
    workflow_id: z.string(),
  })
  .meta({ id: 'Status' });
