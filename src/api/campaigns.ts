import type Router from '@koa/router';
import type { Knex } from 'knex';
import { segmentsRouter } from './segments/routes';
import { tagsRouter } from './tags/routes';

/** The campaign routers (tags, segments, imports, broadcast reports), mounted by app.ts in one line. */
export function campaignRouters(db: Knex): Router[] {
  return [tagsRouter(db), segmentsRouter(db)];
}
