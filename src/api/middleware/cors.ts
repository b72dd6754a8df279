import cors from '@koa/cors';
import type { Context, Middleware } from 'koa';

/** What a browser frontend sends besides the CORS-safelisted headers. */
export const CORS_ALLOWED_HEADERS = ['Content-Type', 'Authorization', 'Idempotency-Key', 'X-Request-Id'];
/** Response headers a frontend reads (fetch hides all but the safelisted ones unless exposed). */
export const CORS_EXPOSED_HEADERS = ['Idempotent-Replayed', 'X-Request-Id', 'Retry-After', 'WWW-Authenticate'];

/** `http://localhost:*` matches `http://localhost:5173`; other entries match exactly; `*` matches all. */
export function originAllowed(origin: string, allowed: readonly string[]): boolean {
  const wanted = origin.toLowerCase();
  return allowed.some((entry) => {
    if (entry === '*' || entry === wanted) return true;
    if (!entry.endsWith(':*')) return false;
    const prefix = `${entry.slice(0, -1)}`; // "http://localhost:"
    const port = wanted.slice(prefix.length);
    return (
      wanted.startsWith(prefix) && port.length > 0 && port.length <= 5 && [...port].every((c) => c >= '0' && c <= '9')
    );
  });
}

/**
 * CORS by @koa/cors for the origins in CORS_ORIGINS. It sits before the API-key check, so a
 * preflight (OPTIONS, which browsers send without credentials) is answered 204 here; a
 * request from any other origin gets no CORS headers and the browser refuses the answer.
 */
export function corsPolicy(allowed: readonly string[]): Middleware {
  return cors({
    origin: (ctx: Context) => {
      const origin = ctx.get('origin');
      return origin && originAllowed(origin, allowed) ? origin : '';
    },
    allowMethods: ['GET', 'HEAD', 'PUT', 'POST', 'PATCH', 'DELETE'],
    allowHeaders: CORS_ALLOWED_HEADERS,
    exposeHeaders: CORS_EXPOSED_HEADERS,
    maxAge: 600,
  });
}
