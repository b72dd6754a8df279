import { z } from 'zod';
import { text } from '../../validation/primitives';

/**
 * Interactive messages (reply buttons, a list, a CTA URL button) with WhatsApp's limits
 * (360Dialog's WhatsApp Cloud API documentation, "Interactive messages"). Checked here so a message that
 * WhatsApp would refuse with error 100 or 131009 fails at the API with the field named.
 */
export const INTERACTIVE_LIMITS = {
  body: 1024,
  header: 60,
  footer: 60,
  buttons: 3,
  buttonTitle: 20,
  buttonId: 256,
  listButton: 20,
  sections: 10,
  rows: 10,
  rowTitle: 24,
  rowId: 200,
  rowDescription: 72,
  sectionTitle: 24,
  ctaText: 20,
} as const;

const L = INTERACTIVE_LIMITS;
const label = (max: number) => text(max).trim().min(1, 'must not be empty');

const headerSchema = z
  .object({ type: z.literal('text'), text: label(L.header) })
  .strict()
  .meta({ description: `A text header (at most ${L.header} characters)` });

const common = {
  header: headerSchema.optional(),
  body: label(L.body).meta({ description: `The message text (at most ${L.body} characters)` }),
  footer: label(L.footer).optional(),
};

const replyButtonSchema = z
  .object({
    id: label(L.buttonId).meta({
      description: 'Comes back in the tap (`button_reply.id`) and is what `match: "button"` rules compare',
    }),
    title: label(L.buttonTitle),
  })
  .strict();

const buttonsMessageSchema = z
  .object({ type: z.literal('button'), ...common, buttons: z.array(replyButtonSchema).min(1).max(L.buttons) })
  .strict()
  .superRefine((message, ctx) => uniqueIds(message.buttons, ['buttons'], ctx));

const rowSchema = z
  .object({ id: label(L.rowId), title: label(L.rowTitle), description: label(L.rowDescription).optional() })
  .strict();

const sectionSchema = z
  .object({ title: label(L.sectionTitle).optional(), rows: z.array(rowSchema).min(1).max(L.rows) })
  .strict();

const listMessageSchema = z
  .object({
    type: z.literal('list'),
    ...common,
    button: label(L.listButton).meta({ description: 'The label of the button that opens the list' }),
    sections: z.array(sectionSchema).min(1).max(L.sections),
  })
  .strict()
  .superRefine((message, ctx) => {
    const rows = message.sections.flatMap((section, s) =>
      section.rows.map((row, r) => ({ ...row, path: ['sections', s, 'rows', r] })),
    );
    if (rows.length > L.rows)
      ctx.addIssue({
        code: 'custom',
        path: ['sections'],
        message: `at most ${L.rows} rows in all sections together (got ${rows.length})`,
      });
    const seen = new Set<string>();
    for (const row of rows) {
      if (seen.has(row.id))
        ctx.addIssue({ code: 'custom', path: [...row.path, 'id'], message: `duplicate row id "${row.id}"` });
      seen.add(row.id);
    }
    if (message.sections.length > 1) {
      message.sections.forEach((section, s) => {
        if (!section.title)
          ctx.addIssue({
            code: 'custom',
            path: ['sections', s, 'title'],
            message: 'is required when there is more than one section',
          });
      });
    }
  });

const ctaUrlMessageSchema = z
  .object({
    type: z.literal('cta_url'),
    ...common,
    cta: z.object({ display_text: label(L.ctaText), url: z.url({ protocol: /^https?$/ }).max(2048) }).strict(),
  })
  .strict();

function uniqueIds(items: { id: string }[], path: (string | number)[], ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (seen.has(item.id))
      ctx.addIssue({ code: 'custom', path: [...path, i, 'id'], message: `duplicate id "${item.id}"` });
    seen.add(item.id);
  });
}

export const interactiveSchema = z
  .discriminatedUnion('type', [buttonsMessageSchema, listMessageSchema, ctaUrlMessageSchema])
  .meta({
    id: 'Interactive',
    description:
      'Reply buttons (`button`, 1-3), a list (`list`, at most 10 rows in all) or a link button (`cta_url`). Free-form content: ' +
      "WhatsApp delivers it only within 24 hours of the customer's last message.",
  });

export type InteractiveContent = z.output<typeof interactiveSchema>;
