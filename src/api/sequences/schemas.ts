import { z } from 'zod';
import { tagSchema } from '../../campaigns/tags';
import { delayMs, isTimeZone, MAX_DELAY_MS, TIME_OF_DAY } from '../../campaigns/sequence-timing';
import { pageQuerySchema } from '../pagination';
import { idSchema, text } from '../schemas-common';

export const MAX_STEPS = 20;
// Contacts a WhatsApp message creates are not enrolled: their first message already opened the conversation.
const SOURCES = ['api', 'wordpress', 'csv'] as const;
const STATES = ['active', 'completed', 'stopped_replied', 'stopped_opted_out', 'stopped_removed', 'cancelled'] as const;

const templateSchema = z
  .object({
    name: z
      .string()
      .trim()
      .min(1)
      .max(512)
      .regex(/^[a-z0-9_]+$/, 'lower-case letters, digits and _ (the template name in WhatsApp Manager)'),
    language: z
      .string()
      .trim()
      .min(2)
      .max(15)
      .regex(/^[a-z]{2,3}(_[A-Za-z]{2,4})?$/, 'a WhatsApp language code such as en or de_DE'),
    params: z.array(text(1024)).max(20).optional().meta({ description: "The body's {{1}}, {{2}}, ... in order" }),
  })
  .strict();

const stepSchema = z
  .object({
    template: templateSchema.optional(),
    text: text(4096)
      .trim()
      .min(1)
      .optional()
      .meta({ description: 'Free text: outside the 24-hour window it follows SERVICE_WINDOW_POLICY' }),
    delay: z
      .string()
      .max(40)
      .refine((d) => delayMs(d) !== undefined, 'a delay such as 0s, 30m, 2h, 3d or PT30M')
      .refine((d) => (delayMs(d) ?? 0) <= MAX_DELAY_MS, 'at most 366 days')
      .optional()
      .meta({
        description:
          'After the previous step (the first: after enrolling): 0s, 30m, 2h, 3d or ISO 8601 (PT30M, P1DT12H); default 0s',
      }),
    at: z
      .object({
        time: z.string().regex(TIME_OF_DAY, 'HH:MM, 24-hour'),
        time_zone: z.string().max(64).refine(isTimeZone, 'an IANA time zone such as Europe/Berlin'),
      })
      .strict()
      .optional()
      .meta({
        description: 'Instead of delay: the next time the clock shows `time` in `time_zone` after the previous step',
      }),
    only_if_no_reply: z
      .boolean()
      .optional()
      .meta({ description: 'Stop the enrolment instead, if the contact wrote to us since enrolling' }),
  })
  .strict()
  .superRefine((step, ctx) => {
    if (Boolean(step.template) === Boolean(step.text))
      ctx.addIssue({ code: 'custom', path: ['template'], message: 'a step sends either a template or text' });
    if (step.delay !== undefined && step.at)
      ctx.addIssue({ code: 'custom', path: ['at'], message: 'give either delay or at, not both' });
  })
  .meta({ id: 'SequenceStep' });

const triggerSchema = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('manual') }).strict(),
    z.object({ type: z.literal('source'), source: z.enum(SOURCES) }).strict(),
    z.object({ type: z.literal('tag'), tag: tagSchema }).strict(),
  ])
  .meta({
    description:
      'manual: only POST .../enrollments/; source or tag: every new contact from that source or with that tag',
  });

export const sequenceWriteSchema = z
  .object({
    name: text(128).trim().min(1, 'must not be empty'),
    trigger: triggerSchema.default({ type: 'manual' }),
    steps: z.array(stepSchema).min(1, 'at least one step').max(MAX_STEPS, `at most ${MAX_STEPS} steps`),
  })
  .strict()
  .meta({ id: 'SequenceInput' });

export const sequencePatchSchema = z
  .object({ name: sequenceWriteSchema.shape.name, trigger: triggerSchema, steps: sequenceWriteSchema.shape.steps })
  .partial()
  .strict()
  .meta({ id: 'SequencePatch' });

export const sequenceSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    trigger: triggerSchema,
    steps: z.array(stepSchema),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'Sequence' });

export const enrollmentCreateSchema = z.object({ contact_id: idSchema }).strict().meta({ id: 'EnrollmentInput' });

export const enrollmentListQuerySchema = pageQuerySchema.extend({ state: z.enum(STATES).optional() });

export const enrollmentSchema = z
  .object({
    id: z.number().int(),
    sequence_id: z.number().int(),
    contact_id: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'null once the contact was deleted (state stopped_removed)' }),
    state: z.enum(STATES),
    current_step: z.number().int().meta({ description: 'The index of the step sent or waited for (0-based)' }),
    next_step_at: z.string().nullable(),
    workflow_id: z.string().meta({ description: 'sequence-<id>-contact-<id> in the Temporal Web UI' }),
    created_at: z.string(),
    updated_at: z.string(),
    ended_at: z.string().nullable(),
  })
  .meta({ id: 'SequenceEnrollment' });
