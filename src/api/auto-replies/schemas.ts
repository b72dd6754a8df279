import { z } from 'zod';
import { MATCH_KINDS, WEEKDAYS } from '../../db/repositories/auto-replies';
import { isTimeZone } from '../../inbound/business-hours';
import { regexProblem } from '../../inbound/regex-engine';
import { interactiveSchema } from '../../providers/d360/interactive-schema';
import { MAX_TEXT_LENGTH, templateSchema } from '../messages/schemas';
import { pageQuerySchema } from '../pagination';
import { text } from '../schemas-common';

const replySchema = z
  .union([
    z.object({ message: text(MAX_TEXT_LENGTH).trim().min(1, 'must not be empty') }).strict(),
    z.object({ template: templateSchema }).strict(),
    z.object({ interactive: interactiveSchema }).strict(),
  ])
  .meta({
    id: 'AutoReplyContent',
    description:
      'Exactly one of `message` (free text, within the 24-hour window), `template`, or `interactive` (buttons or a list, within the window)',
  });

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time HH:MM such as 09:00');

const businessHoursSchema = z
  .object({
    time_zone: z.string().max(64).refine(isTimeZone, 'an IANA time zone such as Europe/Berlin'),
    days: z.array(z.enum(WEEKDAYS)).min(1).max(7),
    start: clock,
    end: clock,
  })
  .strict()
  .refine((hours) => hours.start !== hours.end, { path: ['end'], message: 'must differ from start' })
  .meta({
    id: 'BusinessHours',
    description: 'When the rule answers normally; `end` before `start` runs past midnight',
  });

export const autoReplyWriteSchema = z
  .object({
    name: text(200).trim().min(1, 'must not be empty'),
    match: z.enum(MATCH_KINDS).meta({
      description:
        '`button` compares `pattern` with the id of the tapped reply button or list row (or a template quick reply payload), exactly',
    }),
    pattern: text(500).nullish(),
    case_sensitive: z.boolean().default(false),
    reply: replySchema,
    priority: z.number().int().min(-1_000_000).max(1_000_000).default(0),
    active: z.boolean().default(true),
    business_hours: businessHoursSchema.nullish(),
    outside_hours_reply: replySchema.nullish(),
  })
  .strict()
  .superRefine((rule, ctx) => {
    if (rule.match !== 'any' && !rule.pattern?.trim())
      ctx.addIssue({ code: 'custom', path: ['pattern'], message: `is required for match ${rule.match}` });
    if (rule.match === 'regex' && rule.pattern) {
      const problem = regexProblem(rule.pattern, rule.case_sensitive);
      if (problem) ctx.addIssue({ code: 'custom', path: ['pattern'], message: problem });
    }
    if (rule.outside_hours_reply && !rule.business_hours) {
      ctx.addIssue({ code: 'custom', path: ['outside_hours_reply'], message: 'needs business_hours' });
    }
  })
  .meta({ id: 'AutoReplyInput' });

export type AutoReplyWriteInput = z.output<typeof autoReplyWriteSchema>;

export const autoReplyListQuerySchema = pageQuerySchema;

export const autoReplySchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    match: z.enum(MATCH_KINDS).meta({
      description:
        '`button` compares `pattern` with the id of the tapped reply button or list row (or a template quick reply payload), exactly',
    }),
    pattern: z.string().nullable(),
    case_sensitive: z.boolean(),
    reply: replySchema,
    priority: z.number().int(),
    active: z.boolean(),
    business_hours: businessHoursSchema.nullable(),
    outside_hours_reply: replySchema.nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'AutoReply' });
