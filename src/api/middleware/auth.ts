import type { Context, Next } from 'koa';
import { bearerAccepted } from '../../credentials';
import { AppError } from '../../errors';

// Probes scrape without credentials. The 360Dialog webhook (its own X-Webhook-Secret) and /metrics
// (API_KEY or METRICS_TOKEN) check inside their routes, mounted before this middleware.
const PUBLIC_PATHS = new Set(['/health', '/ready', '/docs', '/openapi.json']);

const unauthorized = (ctx: Context, message: string) => {
  ctx.set('WWW-Authenticate', 'Bearer');
  return new AppError(401, 'unauthorized', message);
};

/** With API_KEY set, every route but health and docs needs `Authorization: Bearer <key>`. */
export const requireApiKey = (apiKey: string | undefined) =>
  async function apiKeyAuth(ctx: Context, next: Next): Promise<void> {
    if (!apiKey || PUBLIC_PATHS.has(ctx.path) || ctx.path.startsWith('/docs/')) return next();
    if (!bearerAccepted(ctx.get('authorization'), [apiKey]))
      throw unauthorized(ctx, 'missing or wrong API key: send Authorization: Bearer <API_KEY>');
    return next();
  };

/** GET /metrics: open while neither API_KEY nor METRICS_TOKEN is set, else either one as a bearer token. */
export const requireMetricsAccess = (apiKey: string | undefined, metricsToken: string | undefined) =>
  async function metricsAuth(ctx: Context, next: Next): Promise<void> {
    if (!bearerAccepted(ctx.get('authorization'), [apiKey, metricsToken])) {
      throw unauthorized(ctx, 'missing or wrong token: send Authorization: Bearer <METRICS_TOKEN or API_KEY>');
    }
    return next();
  };
