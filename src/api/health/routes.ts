import Router from '@koa/router';
import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import type { Logger } from '../../logger';
import { readBacklogs, type Backlogs } from '../../metrics/backlog';

const CHECK_TIMEOUT_MS = 2_000;

/** ok or failed, never the reason: driver errors carry hosts, ports and user names (they go to the log). */
async function probe(name: string, check: () => Promise<unknown>, logger: Logger): Promise<{ ok: boolean }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([check(), timeout]);
    return { ok: true };
  } catch (err) {
    logger.warn({ dependency: name, reason: (err as Error).message }, 'health check failed');
    return { ok: false };
  } finally {
    clearTimeout(timer);
  }
}

const presentBacklog = (backlogs: Backlogs, maxAgeSeconds: number) => {
  const queue = (b: Backlogs['outbox']) => ({
    depth: b.depth,
    oldest_age_seconds: Math.round(b.oldestAgeSeconds * 10) / 10,
  });
  const ok = backlogs.outbox.oldestAgeSeconds <= maxAgeSeconds && backlogs.inbox.oldestAgeSeconds <= maxAgeSeconds;
  return { ok, max_age_seconds: maxAgeSeconds, outbox: queue(backlogs.outbox), inbox: queue(backlogs.inbox) };
};

/**
 * `/health` always answers (liveness) and reports each dependency and the backlog; `/ready` is
 * 503 until both dependencies are reachable, and again (status `degraded`) while the outbox or
 * the webhook inbox holds work older than BACKLOG_MAX_AGE_SECONDS: the requests are still
 * accepted durably, but what they ask for is not happening.
 */
export function healthRouter(db: Knex, temporal: Client, logger: Logger, backlogMaxAgeSeconds = 60): Router {
  const router = new Router();
  const report = async () => {
    let backlogs: Backlogs | undefined;
    const [postgres, temporalCheck] = await Promise.all([
      probe(
        'postgres',
        async () => {
          backlogs = await readBacklogs(db);
        },
        logger,
      ),
      // Its own deadline: the gRPC call (and its retries) ends when the probe gives up, not 5 s later on a closing
      // connection.
      probe(
        'temporal',
        () =>
          temporal.connection.withDeadline(Date.now() + CHECK_TIMEOUT_MS, () =>
            temporal.connection.workflowService.getSystemInfo({}),
          ),
        logger,
      ),
    ]);
    const backlog = backlogs ? presentBacklog(backlogs, backlogMaxAgeSeconds) : undefined;
    const ok = postgres.ok && temporalCheck.ok && (backlog?.ok ?? false);
    return {
      ok,
      body: { status: ok ? 'ok' : 'degraded', postgres, temporal: temporalCheck, ...(backlog ? { backlog } : {}) },
    };
  };

  router.get('/health', async (ctx) => {
    ctx.body = (await report()).body;
  });
  router.get('/ready', async (ctx) => {
    const { ok, body } = await report();
    ctx.status = ok ? 200 : 503;
    ctx.body = body;
  });
  return router;
}
