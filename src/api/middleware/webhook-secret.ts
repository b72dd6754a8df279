import { timingSafeEqual, createHash } from 'node:crypto';
import type { Context, Next } from 'koa';
import { AppError } from '../../errors';

// Hashing first gives both sides the same length, so the comparison time says nothing about the secret.
const digest = (value: string) => createHash('sha256').update(value).digest();
const sameSecret = (given: string, expected: string) => timingSafeEqual(digest(given), digest(expected));

/**
 * 360Dialog sends the secret we registered as the X-Webhook-Secret header. Checked before the
 * body is read, so a wrong secret costs no parsing and starts nothing. Without a secret
 * (ALLOW_UNAUTHENTICATED_WEBHOOKS=true, local development) every request passes.
 */
export const requireWebhookSecret = (path: string, secret: string | undefined) =>
  async function webhookSecret(ctx: Context, next: Next): Promise<void> {
    if (ctx.path !== path || !secret) return next();
    if (!sameSecret(ctx.get('x-webhook-secret'), secret)) {
      throw new AppError(401, 'unauthorized', 'missing or wrong X-Webhook-Secret header');
    }
    return next();
  };
