import Router from '@koa/router';
import type { WordPressConfig } from '../../config-wordpress';
import type { SyncRunsRepository } from '../../db/repositories/sync-runs';
import { conflict } from '../../errors';
import { CONTACT_SOURCE } from '../../services/wordpress-import';
import type { SyncRequests } from '../../services/sync-requests';
import { parseInput } from '../validate';
import { presentSyncReport, syncRequestSchema } from './sync-presenter';

// How long POST waits for the workflow to open the run it asked for; a cycle still running answers with that one.
const NEW_RUN_WAIT_MS = 5_000;

/** Registered before the contacts router, whose `/:id` would otherwise take "sync". */
export function contactSyncRouter(
  runs: SyncRunsRepository,
  requests: SyncRequests,
  wordpress?: WordPressConfig,
): Router {
  const router = new Router({ prefix: '/contacts/sync' });

  router.get('/', async (ctx) => {
    ctx.body = presentSyncReport(wordpress, await runs.latest(CONTACT_SOURCE));
  });

  router.post('/', async (ctx) => {
    if (!wordpress)
      throw conflict(
        'sync_not_configured',
        'the WordPress sync is not configured: set WORDPRESS_URL (and WORDPRESS_USERNAME, WORDPRESS_APP_PASSWORD) and restart',
      );
    const request = parseInput(syncRequestSchema, ctx.request.body ?? {});
    const before = await runs.latest(CONTACT_SOURCE);
    await requests.request(request);
    const run = await waitForRun(runs, before?.id ?? 0, NEW_RUN_WAIT_MS);
    ctx.status = 202;
    ctx.body = presentSyncReport(wordpress, run ?? (await runs.latest(CONTACT_SOURCE)));
  });

  return router;
}

/**
 * The run the workflow opens after `afterId`, polled briefly (a cycle begins within a few hundred ms of the signal).
 */
async function waitForRun(runs: SyncRunsRepository, afterId: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await runs.newerThan(CONTACT_SOURCE, afterId);
    if (run || Date.now() > deadline) return run;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
