import type { Context, Next } from 'koa';
import { httpDuration, httpRequests } from '../../metrics/registry';

/**
 * Counts every answer by the route's template (`/contacts/:id`, never the raw path, so ids
 * do not explode the series); paths no route knows share one label. Sits outside the error
 * handler, so the status is the one the client got.
 */
export async function httpMetrics(ctx: Context, next: Next): Promise<void> {
  const end = httpDuration.startTimer();
  try {
    await next();
  } finally {
    const route = (ctx as { _matchedRoute?: string | RegExp })._matchedRoute;
    const labels = { method: ctx.method, route: typeof route === 'string' ? route : '(unmatched)' };
    end(labels);
    httpRequests.inc({ ...labels, status: String(ctx.status) });
  }
}
