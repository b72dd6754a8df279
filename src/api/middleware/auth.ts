import { timingSafeEqual } from 'node:crypto';
import type { Context, Next } from 'koa';
import { AppError } from '../../errors';

// The 360Dialog webhook has its own secret (X-Webhook-Secret, middleware/webhook-secret.ts). Probes and
// Prometheus scrape without credentials: /metrics holds counts only, no contact data.
const PUBLIC_PATHS = new Set(['/health', '/ready', '/metrics', '/docs', '/openapi.json', '/webhooks/360dialog']);

const sameSecret = (given: string, expected: string) => {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

/** With API_KEY set, every route but health and docs needs `Authorization: Bearer <key>`. */
export const requireApiKey = (apiKey: string | undefined) =>
  async function apiKeyAuth(ctx: Context, next: Next): Promise<void> {
    if (!apiKey || PUBLIC_PATHS.has(ctx.path) || ctx.path.startsWith('/docs/')) return next();
    const match = /^Bearer\s+(.+?)\s*$/i.exec(ctx.get('authorization')); // the scheme is case-insensitive (RFC 9110)
    if (!match || !sameSecret(match[1], apiKey)) {
      ctx.set('WWW-Authenticate', 'Bearer');
      throw new AppError(401, 'unauthorized', 'missing or wrong API key: send Authorization: Bearer <API_KEY>');
    }
    return next();
  };
