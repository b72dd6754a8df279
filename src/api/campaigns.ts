import type Router from '@koa/router';
import type { Knex } from 'knex';
import { broadcastReportsRouter } from './broadcast-reports/routes';
import { segmentsRouter } from './segments/routes';
import { tagsRouter } from './tags/routes';
import type { IdempotentRoute } from './middleware/idempotency';

/** The campaign routers (tags, segments, imports, broadcast reports), mounted by app.ts in one line. */
export function campaignRouters(deps: {
  db: Knex;
  taskQueue: string;
  idempotent: IdempotentRoute;
  wakeOutbox: () => void;
}): Router[] {
  return [tagsRouter(deps.db), segmentsRouter(deps.db, deps.idempotent), broadcastReportsRouter(deps)];
}
