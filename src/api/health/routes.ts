import Router from '@koa/router';
import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import type { Logger } from '../../logger';

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

/** `/health` always answers (liveness) and reports each dependency; `/ready` is 503 until both are reachable. */
export function healthRouter(db: Knex, temporal: Client, logger: Logger): Router {
  const router = new Router();
  const report = async () => {
    const [postgres, temporalCheck] = await Promise.all([
      probe('postgres', () => db.raw('select 1'), logger),
      probe('temporal', () => temporal.connection.workflowService.getSystemInfo({}), logger),
    ]);
    const ok = postgres.ok && temporalCheck.ok;
    return { ok, body: { status: ok ? 'ok' : 'degraded', postgres, temporal: temporalCheck } };
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
