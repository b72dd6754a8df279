import type { Context, Next } from 'koa';
import { AppError } from '../../errors';
import type { Logger } from '../../logger';
import { sameSecret } from '../../credentials';

/**
 * 360Dialog sends the secret we registered as the X-Webhook-Secret header. This runs as the
 * webhook route's own first middleware, so whatever spelling of the path the router matched,
 * the handler only runs after it; and before the body is read, so a wrong secret costs no
 * parsing and starts nothing. Without a secret (ALLOW_UNAUTHENTICATED_WEBHOOKS=true, local
 * development) every request passes, unless `closedWithoutSecret` (the WordPress webhook, which
 * creates contacts): then every request is refused.
 */
export const requireWebhookSecret = (
  secret: string | undefined,
  logger: Logger,
  { closedWithoutSecret = false } = {},
) =>
  async function webhookSecret(ctx: Context, next: Next): Promise<void> {
    const refused = secret ? !sameSecret(ctx.get('x-webhook-secret'), secret) : closedWithoutSecret;
    if (refused) {
      logger.warn({ requestId: ctx.state.requestId, ip: ctx.ip }, 'webhook refused: missing or wrong X-Webhook-Secret');
      throw new AppError(401, 'unauthorized', 'missing or wrong X-Webhook-Secret header');
    }
    try {
      await next();
    } catch (err) {
      // 360Dialog sees only the status; what it sent that we could not read belongs in our log.
      if (err instanceof AppError && err.status < 500)
        logger.warn({ requestId: ctx.state.requestId, code: err.code, reason: err.message }, 'webhook body refused');
      throw err;
    }
  };
