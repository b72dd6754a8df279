import Router from '@koa/router';
import { z } from 'zod';
import type { Knex } from 'knex';
import { createTagsRepository } from '../../db/repositories/tags';
import { pageQuerySchema, pageRequest, presentPage } from '../pagination';
import { text } from '../schemas-common';
import { parseInput } from '../validate';
import { normaliseTag } from '../../campaigns/tags';

export const tagListQuerySchema = pageQuerySchema.extend({
  prefix: text(64)
    .transform(normaliseTag)
    .optional()
    .meta({ description: 'Only tags starting with this (case-insensitive)' }),
});

export const tagCountSchema = z.object({ tag: z.string(), count: z.number().int() }).meta({ id: 'TagCount' });

export function tagsRouter(db: Knex): Router {
  const router = new Router({ prefix: '/tags' });
  const tags = createTagsRepository(db);
  router.get('/', async (ctx) => {
    const query = parseInput(tagListQuerySchema, ctx.query);
    const request = pageRequest(query);
    ctx.body = presentPage(ctx, await tags.list({ prefix: query.prefix }, request), request, (row) => row);
  });
  return router;
}
