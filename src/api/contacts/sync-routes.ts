import Router from '@koa/router';
import type { Client } from '@temporalio/client';
import type { WordPressConfig } from '../../config-wordpress';
import type { SyncRunsRepository } from '../../db/repositories/sync-runs';
import { conflict } from '../../errors';
import { CONTACT_SOURCE } from '../../services/wordpress-import';
import { requestWordPressSync } from '../../temporal/start-sync';
import { presentSyncReport } from './sync-presenter';

/** Registered before the contacts router, whose `/:id` would otherwise take "sync". */
export function contactSyncRouter(runs: SyncRunsRepository, temporal: Client, taskQueue: string, wordpress?: WordPressConfig): Router {
  const router = new Router({ prefix: '/contacts/sync' });

  router.get('/', async (ctx) => {
    ctx.body = presentSyncReport(wordpress, await runs.latest(CONTACT_SOURCE));
  });

  router.post('/', async (ctx) => {
    if (!wordpress) throw conflict('sync_not_configured', 'the WordPress sync is not configured: set WORDPRESS_URL (and WORDPRESS_USERNAME, WORDPRESS_APP_PASSWORD) and restart');
    await requestWordPressSync(temporal, taskQueue);
    ctx.status = 202;
    ctx.body = presentSyncReport(wordpress, await runs.latest(CONTACT_SOURCE));
  });

  return router;
}
