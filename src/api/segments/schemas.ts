import { z } from 'zod';
import { segmentFilterSchema } from '../../campaigns/segment-filter';
import { pageQuerySchema } from '../pagination';
import { text } from '../schemas-common';

export const segmentWriteSchema = z
  .object({
    name: text(128).trim().min(1, 'must not be empty'),
    filter: segmentFilterSchema,
  })
  .strict()
  .meta({ id: 'SegmentInput' });

export const segmentPatchSchema = segmentWriteSchema.partial().meta({ id: 'SegmentPatch' });

export const segmentMembersQuerySchema = pageQuerySchema.extend({
  format: z.enum(['json', 'csv']).default('json').meta({ description: 'csv streams every member (no paging)' }),
});

export const segmentSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    filter: segmentFilterSchema,
    member_count: z.number().int().meta({
      description: 'Contacts matching now (opted-out ones included when the filter allows them; broadcasts skip them)',
    }),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'Segment' });
