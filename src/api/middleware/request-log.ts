import { randomUUID } from 'node:crypto';
import type { Context, Next } from 'koa';
import type { Logger } from '../../logger';

/** Gives every request an id (kept from X-Request-Id when sent) and logs one line when it ends. */
export const requestLog = (logger: Logger) =>
  async function logRequest(ctx: Context, next: Next): Promise<void> {
    const incoming = ctx.get('x-request-id');
    ctx.state.requestId = /^[\w.-]{1,128}$/.test(incoming) ? incoming : randomUUID();
    ctx.set('X-Request-Id', ctx.state.requestId);
    const started = performance.now();
    try {
      await next();
    } finally {
      // Info, not debug: one JSON line per request is the access log production needs (LOG_LEVEL=warn silences it).
      logger.info(
        {
          requestId: ctx.state.requestId,
          method: ctx.method,
          path: ctx.path,
          status: ctx.status,
          ms: Math.round(performance.now() - started),
        },
        'request',
      );
    }
  };
