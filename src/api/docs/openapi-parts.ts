import { z } from 'zod';
import { errorResponseSchema } from '../schemas-common';

/** The pieces every resource's OpenAPI registration is built from. */
export const json = (schema: z.ZodType, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
export const idParam = z.object({ id: z.string().regex(/^\d+$/) });
export const problem = (description: string) => json(errorResponseSchema, description);
