import Router from '@koa/router';
import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';

const CHECK_TIMEOUT_MS = 2_000;

async function probe(check: () => Promise<unknown>): Promise<{ ok: boolean; error?: string }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([check(), timeout]);
    return { ok: true };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

/** `/health` always answers (liveness) and reports each dependency; `/ready` is 503 until both are reachable. */
export function healthRouter(db: Knex, temporal: Client): Router {
  const router = new Router();
  const report = async () => {
    const [postgres, temporalCheck] = await Promise.all([
      probe(() => db.raw('select 1')),
      probe(() => temporal.connection.workflowService.getSystemInfo({})),
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
