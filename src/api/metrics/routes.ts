import Router from '@koa/router';
import type { Knex } from 'knex';
import { Registry } from 'prom-client';
import { messageStateRegistry } from '../../metrics/message-states';
import { processRegistry } from '../../metrics/registry';

/** Prometheus text format: the process's counters plus messages by state counted in Postgres. Public, like /health (middleware/auth.ts). */
export function metricsRouter(db: Knex): Router {
  const router = new Router();
  const registry = Registry.merge([processRegistry, messageStateRegistry(db)]);
  router.get('/metrics', async (ctx) => {
    ctx.type = registry.contentType;
    ctx.body = await registry.metrics();
  });
  return router;
}
