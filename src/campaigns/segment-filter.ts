import type { Knex } from 'knex';
import { z } from 'zod';
import { idSchema, timestampSchema } from '../validation/primitives';
import { tagsSchema } from './tags';

const range = (what: string) =>
  z
    .object({ after: timestampSchema.optional(), before: timestampSchema.optional() })
    .strict()
    .refine((r) => r.after !== undefined || r.before !== undefined, 'give after, before or both')
    .refine(
      (r) => !r.after || !r.before || Date.parse(r.after) < Date.parse(r.before),
      'after must be earlier than before',
    )
    .meta({ description: `${what}: at or after \`after\`, before \`before\`` });

/** A saved audience: conditions on contacts combined with `match` (all: every condition holds; any: at least one). */
export const segmentFilterSchema = z
  .object({
    match: z.enum(['all', 'any']).default('all'),
    tags: tagsSchema
      .optional()
      .meta({ description: 'match=all: the contact carries every tag; match=any: at least one' }),
    sources: z
      .array(z.enum(['api', 'wordpress', 'whatsapp', 'csv']))
      .min(1)
      .max(4)
      .optional(),
    group_ids: z.array(idSchema).min(1).max(1_000).optional(),
    created: range('When the contact was created').optional(),
    opted_in: z.boolean().optional().meta({
      description: 'true: has not opted out; false: has (broadcasts skip opted-out people whatever the segment says)',
    }),
    service_window_open: z
      .boolean()
      .optional()
      .meta({ description: 'true: wrote to us within the last 24 hours, so free text is allowed' }),
    last_inbound: range('When the contact last wrote to us (contacts who never did match neither bound)').optional(),
  })
  .strict()
  .refine(
    (f) => Object.keys(f).some((key) => key !== 'match'),
    'give at least one condition (tags, sources, group_ids, created, opted_in, service_window_open, last_inbound)',
  )
  .meta({ id: 'SegmentFilter' });

export type SegmentFilter = z.output<typeof segmentFilterSchema>;

const LAST_INBOUND = `(SELECT max(m.created_at) FROM messages m WHERE m.contact_id = contacts.id AND m.direction = 'inbound')`;
const WINDOW_OPEN = `${LAST_INBOUND} > now() - interval '24 hours'`;

type Condition = (q: Knex.QueryBuilder) => void;

function conditions(filter: SegmentFilter): Condition[] {
  const list: Condition[] = [];
  if (filter.tags?.length) {
    const operator = filter.match === 'all' ? '@>' : '&&';
    list.push((q) => q.whereRaw(`contacts.tags ${operator} ?::text[]`, [filter.tags as string[]]));
  }
  if (filter.sources) list.push((q) => q.whereIn('contacts.source', filter.sources as string[]));
  if (filter.group_ids) list.push((q) => q.whereIn('contacts.group_id', filter.group_ids as number[]));
  if (filter.created) {
    const { after, before } = filter.created;
    list.push((q) => {
      if (after) q.where('contacts.created_at', '>=', after);
      if (before) q.where('contacts.created_at', '<', before);
    });
  }
  if (filter.opted_in !== undefined) list.push((q) => q.where('contacts.opted_out', !filter.opted_in));
  if (filter.service_window_open !== undefined) {
    list.push((q) =>
      filter.service_window_open ? q.whereRaw(WINDOW_OPEN) : q.whereRaw(`NOT coalesce(${WINDOW_OPEN}, false)`),
    );
  }
  if (filter.last_inbound) {
    const { after, before } = filter.last_inbound;
    list.push((q) => {
      if (after) q.whereRaw(`${LAST_INBOUND} >= ?`, [after]);
      if (before) q.whereRaw(`${LAST_INBOUND} < ?`, [before]);
    });
  }
  return list;
}

/** Narrows a query over `contacts` (unaliased) to the segment's members. */
export function whereInSegment(query: Knex.QueryBuilder, filter: SegmentFilter): Knex.QueryBuilder {
  const list = conditions(filter);
  return query.where((outer) => {
    for (const condition of list) {
      if (filter.match === 'any') outer.orWhere((inner) => condition(inner));
      else outer.andWhere((inner) => condition(inner));
    }
  });
}
