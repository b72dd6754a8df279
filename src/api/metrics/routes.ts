import Router from '@koa/router';
import type { Knex } from 'knex';
import { Registry } from 'prom-client';
import { backlogRegistry } from '../../metrics/backlog';
import { messageStateRegistry } from '../../metrics/message-states';
import { processRegistry } from '../../metrics/registry';
import { requireMetricsAccess } from '../middleware/auth';

/**
 * Prometheus text format: the process's counters plus messages by state and the outbox/inbox backlog, counted in
 * Postgres.
 * Its own credential (API_KEY or METRICS_TOKEN), checked by the route itself: mounted before the API-key check.
 */
export function metricsRouter(db: Knex, access: { apiKey?: string; metricsToken?: string }): Router {
  const router = new Router();
  const registry = Registry.merge([processRegistry, messageStateRegistry(db), backlogRegistry(db)]);
  router.get('/metrics', requireMetricsAccess(access.apiKey, access.metricsToken), async (ctx) => {
    ctx.type = registry.contentType;
    ctx.body = await registry.metrics();
  });
  return router;
}
