import { z } from 'zod';
import { pageQuerySchema } from '../pagination';
import { text } from '../schemas-common';

export const MAX_GROUP_CAPACITY = 100_000;

export const groupCreateSchema = z
  .object({
    name: text(128).trim().min(1, 'must not be empty'),
    capacity: z
      .number()
      .int()
      .min(1)
      .max(MAX_GROUP_CAPACITY)
      .optional()
      .meta({ description: 'Seats; GROUP_CAPACITY (250) when absent' }),
  })
  .strict()
  .meta({ id: 'GroupInput' });

export const groupPatchSchema = groupCreateSchema
  .partial()
  .meta({ id: 'GroupPatch', description: 'A lower capacity moves the newest members beyond it to other groups' });

export const groupListQuerySchema = pageQuerySchema;

export const groupSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    capacity: z.number().int(),
    member_count: z.number().int(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'Group' });
